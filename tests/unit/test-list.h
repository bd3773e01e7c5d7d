/*
 * test-list.h - every unit test, listed by hand (libuv test-list.h).
 *
 * TEST_LIST(X) expands X(name) once per test, in the order the runner
 * runs them.  A test is defined with TEST(name) in
 * tests/unit/test-<module>.c; adding it here is what makes it run.
 * No linker-section magic: a test missing from this list never runs,
 * and a name listed here without a definition fails to link.
 */
#ifndef TESTS_UNIT_TEST_LIST_H
#define TESTS_UNIT_TEST_LIST_H

#define TEST_LIST(X)							\
	/* tests/unit/test-common.c */					\
	X(log_escape_control_chars)					\
	X(log_escape_truncates)						\
	X(log_escape_bounds)						\
	X(log_escape_json_rfc8259)					\
	X(log_escape_json_truncates)					\
	X(xmalloc_xasprintf)						\
	X(proto_verdict_round_trip)					\
	X(proto_verdict_parse_unknown)					\
	X(hash_fnv1a_vectors)						\
	/* tests/unit/test-passk.c */					\
	X(passk_small_exact)						\
	X(passk_large_n)						\
	X(passk_mean_example)						\
	X(passk_errors)						\
	X(passk_curve_matches)						\
	X(passk_curve_uneven_brute)					\
	/* tests/unit/test-report.c */					\
	X(report_passk_brute)						\
	X(report_passk_uneven)						\
	X(report_passk_exact_2000)					\
	X(report_rank_brute)						\
	X(report_rank_brute_678)					\
	X(report_rank_large)						\
	X(report_rank_edges)						\
	X(report_budget_k_cases)					\
	X(report_budget_points)						\
	X(report_build_shape)						\
	X(report_build_only_k)						\
	X(report_compare_ties)						\
	X(report_disagreements)						\
	X(report_problem_sets)						\
	X(report_build_errors)						\
	X(report_base_plus)						\
	/* tests/unit/test-boot.c */					\
	X(boot_reference)						\
	X(boot_normal)							\
	X(boot_edges)							\
	X(compare_significance)						\
	X(compare_work_bound)						\
	/* tests/unit/test-render.c */					\
	X(render_names)							\
	X(render_json)							\
	X(render_csv_rows)						\
	X(render_md_tables)						\
	X(render_svg_plots)						\
	X(render_html_page)						\
	X(render_missing_parts)						\
	X(render_escape_edges)						\
	X(render_base_plus)						\
	X(render_meta_title)						\
	X(render_run_styles)						\
	X(render_plot_marks)						\
	/* tests/unit/test-jsonl.c */					\
	X(jsonl_gzip_and_plain)						\
	X(jsonl_missing_file)						\
	X(jsonl_truncated_gzip)						\
	X(jsonl_corrupt_gzip)						\
	X(jsonl_bad_json_line3)						\
	X(jsonl_blank_lines)						\
	X(jsonl_nul_byte)						\
	X(jsonl_invalid_utf8)						\
	X(jsonl_not_object)						\
	X(jsonl_long_line)						\
	X(jsonl_line_over_cap)						\
	X(jsonl_array_file)						\
	X(jsonl_array_errors)						\
	X(jsonl_pyjson)							\
	X(jsonl_evalplus_files)						\
	X(jsonl_parse_string)						\
	X(jsonl_mem_gzip_and_plain)					\
	X(jsonl_mem_multi_member)					\
	X(jsonl_mem_as_file)						\
	X(jsonl_mem_truncated_gzip)					\
	X(jsonl_mem_bad_line)						\
	X(jsonl_offset)							\
	X(jsonl_no_array)						\
	X(jsonl_mem_max_inflated)					\
	/* tests/unit/test-problemset.c */				\
	X(problemset_humaneval)						\
	X(problemset_mbpp_split)					\
	X(problemset_sanitized_mbpp)					\
	X(problemset_apps)						\
	X(problemset_apps_shapes)					\
	X(problemset_humaneval_plus_orig)				\
	X(problemset_mbpp_plus_orig)					\
	X(problemset_humaneval_plus_in)					\
	X(problemset_mbpp_plus_in)					\
	X(problemset_bad_files)						\
	X(problemset_load_mem)						\
	X(problemset_long_line)						\
	X(problemset_datasets)						\
	X(problemset_merge_sets)					\
	X(problemset_find_many)						\
	/* tests/unit/test-config.c */					\
	X(config_defaults_values)					\
	X(config_full_file)						\
	X(config_errors)						\
	X(config_repeatable)						\
	X(config_comments_blank)					\
	X(config_sizes_times)						\
	X(config_line_rules)						\
	X(config_missing_file)						\
	X(config_listen)						\
	X(config_reloadable)						\
	X(config_token_ok)						\
	X(config_limits_of)						\
	X(config_shipped_file)						\
	X(config_database)						\
	X(config_database_redact)					\
	/* tests/unit/test-metrics.c */					\
	X(metrics_label_escape)						\
	X(metrics_render_node)						\
	/* tests/unit/test-models.c */					\
	X(models_shipped_table)						\
	X(models_bad_files)						\
	X(models_request_table)						\
	X(models_request_bad)						\
	/* tests/unit/test-service.c */					\
	X(service_config_snapshot)					\
	X(service_problems_and_imports)					\
	X(service_counters_and_hooks)					\
	X(service_database)						\
	/* tests/unit/test-store.c */					\
	X(store_reopen_keeps_data)					\
	X(store_refuses_newer_schema)					\
	X(store_migrates_v1)						\
	X(store_refuses_foreign_files)					\
	X(store_add_same_id)						\
	X(store_add_same_sample)					\
	X(store_add_conflict)						\
	X(store_add_bad_ids)						\
	X(store_dedupe_shares_jobs)					\
	X(store_dedupe_hash_collision)					\
	X(store_update_moves_tallies)					\
	X(store_join_done_job)						\
	X(store_oracle_error)						\
	X(store_recover_requeues)					\
	X(store_claim_release)						\
	X(store_candidate_fields)					\
	X(store_run_counts)						\
	X(store_run_delete)						\
	X(store_run_update)						\
	X(store_base_results)						\
	X(store_problems_byte_order)					\
	X(store_results_paging)						\
	X(store_feed_order)						\
	X(store_feed_concurrent)					\
	X(store_imports_round_trip)					\
	X(store_survives_crash)						\
	X(store_two_writers)						\
	X(store_same_ids_at_once)					\
	X(store_many_candidates)					\
	X(store_keeps_original)						\
	X(store_migrates_v2)						\
	/* the same on PostgreSQL ($VERDICT_TEST_PG), and its own */	\
	X(store_pg_reopen_keeps_data)					\
	X(store_pg_add_same_id)						\
	X(store_pg_add_same_sample)					\
	X(store_pg_add_conflict)					\
	X(store_pg_add_bad_ids)						\
	X(store_pg_dedupe_shares_jobs)					\
	X(store_pg_dedupe_hash_collision)				\
	X(store_pg_update_moves_tallies)				\
	X(store_pg_join_done_job)					\
	X(store_pg_oracle_error)					\
	X(store_pg_recover_requeues)					\
	X(store_pg_claim_release)					\
	X(store_pg_candidate_fields)					\
	X(store_pg_run_counts)						\
	X(store_pg_run_delete)						\
	X(store_pg_run_update)						\
	X(store_pg_base_results)					\
	X(store_pg_problems_byte_order)					\
	X(store_pg_results_paging)					\
	X(store_pg_feed_order)						\
	X(store_pg_feed_concurrent)					\
	X(store_pg_imports_round_trip)					\
	X(store_pg_two_writers)						\
	X(store_pg_same_ids_at_once)					\
	X(store_pg_many_candidates)					\
	X(store_pg_schema_version)					\
	X(store_pg_hides_password)					\
	X(store_pg_claims_disjoint)					\
	X(store_pg_lease_expires)					\
	X(store_pg_lost_claim_expires)					\
	X(store_pg_notes)						\
	X(store_pg_reconnects)						\
	X(store_pg_matches_sqlite)					\
	X(store_pg_keeps_original)					\
	/* tests/unit/test-sanitize.c */				\
	X(sanitize_fenced_answer)					\
	X(sanitize_several_fences)					\
	X(sanitize_unfenced_prose)					\
	X(sanitize_drops_tests)						\
	X(sanitize_reachable)						\
	X(sanitize_decorators)						\
	X(sanitize_strings)						\
	X(sanitize_ansi)						\
	X(sanitize_crlf_tabs)						\
	X(sanitize_head)						\
	X(sanitize_block_mode)						\
	X(sanitize_attacks)						\
	X(sanitize_intact)						\
	X(sanitize_never_adds)						\
	X(sanitize_hostile_10mb)					\
	X(sanitize_hostile_lines)					\
	X(sanitize_too_big)						\
	X(sanitize_real_samples)					\
	/* tests/unit/test-candidate.c */				\
	X(candidate_builds_program)					\
	X(candidate_serve_fields)					\
	X(candidate_serve_refusals)					\
	X(candidate_eval_fields)					\
	X(candidate_nul_strings)					\
	X(candidate_name_rules)						\
	X(candidate_base_passed)					\
	X(candidate_sanitize)						\
	X(candidate_sanitize_apps)					\
	/* tests/unit/test-reports.c */					\
	X(reports_counts_match_store)					\
	X(reports_counts_edges)						\
	X(reports_missing_costs)					\
	X(reports_meta_title)						\
	/* tests/unit/test-sched.c */					\
	X(sched_round_robin)						\
	X(sched_forgets_deleted_run)					\
	X(sched_window)							\
	X(sched_drain_waits)						\
	X(sched_drain_grace)						\
	X(sched_no_retry_of_its_own)					\
	X(sched_orphans_requeued)					\
	X(sched_store_fails)						\
	X(sched_two_nodes)					\
	/* tests/unit/test-v1json.c */					\
	X(v1json_candidate_pending)					\
	X(v1json_candidate_done)					\
	X(v1json_reward_fields)						\
	X(v1json_candidate_odd)						\
	X(v1json_run_figures)						\
	X(v1json_problem_figures)					\
	X(v1json_verdict_line)						\
	X(v1json_sanitized)						\
	/* tests/unit/test-pool.c */					\
	X(pool_runs_jobs)						\
	X(pool_retries_dead_helper)					\
	X(pool_oracle_error)						\
	X(pool_fails_closed)						\
	X(pool_broker_lost)						\
	X(pool_expected_once)						\
	X(pool_spec_kept)						\
	X(pool_expected_digest)						\
	X(pool_longest_first)						\
	/* tests/unit/test-expected.c */				\
	X(expected_memory)						\
	X(expected_persists)						\
	X(expected_file_checked)					\
	/* tests/unit/test-broker.c */					\
	X(broker_disjoint_ranges)					\
	X(broker_refuses_bad_requests)					\
	X(broker_kill_stale_harmless)					\
	X(broker_eof_kills_jails)					\
	/* tests/unit/test-result.c */					\
	X(result_parses_record)						\
	X(result_defaults)						\
	X(result_refuses_types)						\
	X(result_cost)							\
	/* tests/unit/test-rootfs.c */					\
	X(rootfs_lists_what_python_needs)				\
	X(rootfs_refuses_unclean)					\
	X(rootfs_refuses_outside)					\
	X(rootfs_refuses_link_outside)					\
	X(rootfs_fails_closed_on_probe)					\
	/* tests/unit/test-jail.c */					\
	X(jail_setup_line_is_json)					\
	X(jail_setup_line_cut)

#endif /* TESTS_UNIT_TEST_LIST_H */

// Command factmlp builds, measures and swaps fact-storing MLPs from the
// command line. Run "factmlp help" for the list of subcommands and
// "factmlp CMD -h" for the flags of one.
//
// # Conventions shared by every command
//
// Output: stdout carries only the result (a summary, or the -json object);
// usage, flag errors, warnings and progress go to stderr. -h prints the
// flags on stderr and exits 0. An error is one line on stderr,
// "factmlp CMD: what is wrong; accepted: ...", with exit status 1
// (2 for an unknown command).
//
// Flag vocabulary: the same name means the same thing everywhere.
//
//	--facts      number of facts F of a generated fact set (hidden alias: --n)
//	--dim        embedding dimension d
//	--family, --seed, --kappa, --beta, ...   the generator (package factset)
//	--method     how the fact MLP is built (ssfr too; hidden alias there:
//	             --mlp-method). In edit, --method is the editing method
//	             and --mlp-method the swapped-in fact MLP's method.
//	--hidden     hidden width of the fact MLP
//	--json       print the result as JSON (below)
//	-v / -q      more progress on stderr / none (long-running commands:
//	             construct, capacity, sweep, ssfr)
//	--max-memory memory budget (see below)
//
// The hidden aliases are kept for one release and are not listed by -h.
//
// Checks before any work: every float flag must be finite and in its
// range (e.g. --rel-tol in [0, 1), --rope-base > 1), every integer flag
// ≥ 0; output paths (--out, --save) must name a regular file or nothing in
// an existing folder — a directory, device, FIFO or socket is never
// replaced (package atomicfile; a symbolic link to a regular file is
// followed, a dangling one refused). The memory a command needs is
// estimated from its sizes (package resources) and the command is refused,
// saying how much it would take and how much is available, when that
// exceeds --max-memory (default: the memory available to the process, from
// /proc/meminfo and the cgroup limit; "off" disables the check).
//
// # JSON output
//
// With -json every command prints exactly one JSON object on one line
// (compact, keys in snake_case, as json.Encoder writes it), followed by a
// newline, and nothing else on stdout. Every object has "seconds" (wall
// time) where the command measures something. A quantity that does not
// exist is null, never a sentinel 0: capacity prints "stored": false,
// "min_hidden": null, "min_params": null and a "reason" when no width up to
// --max-hidden stores the facts, construct prints "code_dim": null for a
// method without a code. The objects:
//
//	rho        {"rho","rho_per_value","undecodable","values","dim","seconds"}
//	construct  {"method","facts","values","dim","hidden","code_dim","params","params_without_seeded","accuracy","min_margin","rho","seconds"}
//	verify     {"method","facts","correct","accuracy","min_margin","accuracy_float32","min_margin_float32","stores","hidden","dim","params","params_without_seeded"}
//	capacity   {"method","facts","dim","stored","min_hidden","min_params","reason","rho","trials","seconds"}
//	ssfr       {"train_accuracy","fact_adaptive_accuracy","steps","lipschitz","seconds"}
//	ssfr --capacity {"method","facts","dim","seed","task","threshold","standalone_hidden","standalone_params","min_hidden","min_params","recall","fact_adaptive_accuracy","trials","seconds"}
//	edit       {"facts","hidden","altered","base_recall","efficacy","paraphrase","specificity","score","validation_score","params","offtarget_ce_delta","offtarget_ppl_ratio","base_seconds","edit_seconds","seconds"}
//
// In edit, "seconds" is the whole command's wall time (base model + edit).
// `factmlp edit --facts books --n N` runs the authors' book → author
// protocol; `--paper` is their size (N = 16,384, d = 256, fact-MLP width
// 512). Expected cost of one `--paper` edit (one method, one fraction),
// extrapolated by operation counts from parts measured at small sizes (not
// run): the GD fact MLP ≈ 2.3 CPU-hours (132 CPU-s measured at N = 2,048,
// d = 128, width 128, 8,000 epochs; cost ∝ N·d·width), a second one for
// swap; LM training ≈ 2–5 CPU-s per step against a 32,800-token vocabulary,
// 4,000–8,000 steps ≈ 3–11 CPU-hours; a baseline's residual searches
// ≈ 0.03 CPU-s per altered fact and Adam step (1,638 facts at 10%, about
// 350 steps each over the small grid's validation and test searches)
// ≈ 5 CPU-hours; its grid evaluations ≈ 1 CPU-hour. So about 10–20
// CPU-hours for one edit and 2–3 CPU-days for the whole 4-method ×
// 3-fraction study on 2 cores: a GPU or a long batch job.
//
// sweep writes its records to files (points.json, points/*.json,
// points.csv), with the same null convention for points that never store.
package main

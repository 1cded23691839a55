"""Commands that make and check articles: generate, fetch, watch, check, schema."""

from __future__ import annotations

import argparse
import sys

from generator.cli.common import PROG, fetch_for, print_json, settings_for, write_file
from generator.errors import EXIT_BLOCKED, EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from generator.pipeline import generate
    from generator.snapshot import load_snapshot

    overrides = {"chart": args.chart, "llm": args.llm}
    settings = settings_for(args, **{k: v for k, v in overrides.items() if v is not None})
    if args.all or args.asset is not None:
        from generator.batch import configured_assets, parse_assets

        assets = configured_assets(settings) if args.all else parse_assets(args.asset)
        if args.all or len(assets) > 1:
            return _generate_many(args, settings, assets)
        args.asset = assets[0]
    extra: dict[str, bytes] = {}
    if args.snapshot is not None:
        snapshot = load_snapshot(args.snapshot)
    else:
        if args.kind == "alert":  # an alert also measures the last hour: fetch the alert_timeframe candles too
            from generator.alerts.poll import alert_settings

            settings = alert_settings(settings)
        fetched = fetch_for(args, settings)
        snapshot, extra = fetched.snapshot, {"sources.yaml": fetched.recording}
    result = generate(snapshot, settings, kind=args.kind, out=args.out, extra_files=extra)
    if args.json:
        print_json({**result.model_dump(mode="json"), "missing": snapshot.missing,
                     "disagreements": [d.model_dump(mode="json") for d in snapshot.disagreements]})
    else:
        print(f"wrote {result.path} ({result.status}): {result.title}")
        if result.proposed_revision is not None:
            print(f"proposed as revision {result.proposed_revision} of draft {result.draft_id}: an editor worked on "
                  f"it, so its text stays until one accepts this (marketnews drafts diff {result.draft_id})")
        else:
            print(f"registered for review as draft {result.draft_id} (marketnews drafts show {result.draft_id})")
        if result.status == "blocked" and result.factcheck:
            fc = result.factcheck
            sys.stderr.write(f"{PROG}: blocked: {fc.failed} of {fc.mentions} mentions failed the fact-check; "
                             f"see {result.path / 'factcheck.json'}\n")
        if (llm := result.llm) is not None:
            cost = "" if llm.cost_usd is None else f", ${llm.cost_usd:.4f}"
            calls = f"{llm.chat_calls} chat call{'' if llm.chat_calls == 1 else 's'}"
            print(f"LLM {llm.model}: {llm.sections_from_model} of {llm.prose_sections} prose sections "
                  f"from the model ({calls}, {llm.cached_calls} cached, "
                  f"{llm.prompt_tokens + llm.completion_tokens} tokens{cost})")
    return EXIT_BLOCKED if result.status == "blocked" else EXIT_OK


def _generate_many(args: argparse.Namespace, settings, assets: list[str]) -> int:  # noqa: ANN001 - Settings
    """generate --asset A,B,C / --all: a line per asset as it is done, then the summary; exit code the worst."""
    from generator.batch import AssetOutcome, generate_many

    def done(outcome: AssetOutcome) -> None:
        for note in outcome.notes:
            sys.stderr.write(f"{PROG}: {outcome.asset}: {note}\n")
        if not args.json:
            print(outcome.line(), flush=True)

    result = generate_many(assets, settings, kind=args.kind, out=args.out, on_done=done)
    if args.json:
        print_json([o.model_dump(mode="json") for o in result.outcomes])
    else:
        print(result.summary())
        if result.of("draft") or result.of("blocked"):
            print("review them with 'marketnews drafts list' or 'marketnews review'")
    return result.exit_code


def cmd_fetch(args: argparse.Namespace) -> int:
    from generator.snapshot import dump_snapshot

    settings = settings_for(args)
    fetched = fetch_for(args, settings)
    text = dump_snapshot(fetched.snapshot)
    if args.record is not None:
        write_file(args.record, fetched.recording)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_file(args.out, text.encode())
        print(f"wrote {args.out}" + (f" and {args.record}" if args.record else ""))
    return EXIT_OK


def cmd_watch(args: argparse.Namespace) -> int:
    from generator.alerts.watch import Watcher, log_to_stderr, serve, watched_assets
    from generator.batch import parse_assets
    from generator.errors import EXIT_DATA_UNAVAILABLE
    from generator.intervals import parse_interval

    settings = settings_for(args)
    log_to_stderr(settings.log_level)
    watcher = Watcher(settings, parse_assets(args.asset) if args.asset else watched_assets(settings), out=args.out)
    if args.once:
        outcomes = watcher.round()
        return EXIT_DATA_UNAVAILABLE if all(o.error for o in outcomes) else EXIT_OK
    serve(watcher, args.every or parse_interval(settings.watch_every))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from generator.pipeline import check_files

    report = check_files(args.article, args.snapshot, settings_for(args))
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(report.to_text())
    return EXIT_OK if report.passed else EXIT_BLOCKED


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.snapshot import snapshot_json_schema

    print_json(snapshot_json_schema())
    return EXIT_OK

"""Commands of the editorial desk: drafts, publish, review."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from generator.cli.common import PROG, print_json, settings_for
from generator.errors import EXIT_BLOCKED, EXIT_OK

if TYPE_CHECKING:
    from generator.desk.models import Article
    from generator.desk.store import Store
    from generator.settings import Settings


def cmd_drafts_list(args: argparse.Namespace) -> int:
    from generator.desk.console import article_json, list_table
    from generator.desk.store import existing_store

    store = existing_store(settings_for(args))  # None: no desk yet, and listing must not create one
    articles: list[Article] = []
    if store is not None and args.limit:  # one page, as the review queue reads it: 10,000 drafts answer at once
        articles, total = store.search(status=args.status, limit=args.limit)
    else:
        articles = store.articles(args.status) if store is not None else []
        total = len(articles)
    if args.json:
        print_json([article_json(a) for a in articles])
    else:
        print(list_table(articles))
        if total > len(articles):
            print(f"(the newest {len(articles)} of {total:,} drafts; --limit N or --all for more)")
    return EXIT_OK


def cmd_drafts_show(args: argparse.Namespace) -> int:
    from generator.desk.console import show, wants_color

    sys.stdout.write(show(_store(args), args.id, color=wants_color(sys.stdout)))
    return EXIT_OK


def cmd_drafts_approve(args: argparse.Namespace) -> int:
    from generator.desk.actions import approve

    article = approve(_store(args), args.id, by=args.by, expected_version=args.version,
                      allow_external=args.allow_external)
    print(f"draft {article.id} approved by {args.by} (revision {article.current_revision})")
    return EXIT_OK


def cmd_drafts_reject(args: argparse.Namespace) -> int:
    from generator.desk.actions import reject

    article = reject(_store(args), args.id, by=args.by, reason=args.reason,
                     expected_version=args.version)
    print(f"draft {article.id} rejected by {args.by}")
    return EXIT_OK


def cmd_drafts_accept(args: argparse.Namespace) -> int:
    from generator.desk.actions import accept_proposal
    from generator.desk.checking import describe

    article = accept_proposal(_store(args), args.id, by=args.by, expected_version=args.version)
    print(f"draft {article.id}: the proposal is now revision {article.current_revision} ({article.status}): "
          f"{describe(article.factcheck)}")
    return EXIT_BLOCKED if article.status == "blocked" else EXIT_OK


def cmd_drafts_discard(args: argparse.Namespace) -> int:
    from generator.desk.actions import discard_proposal

    article = discard_proposal(_store(args), args.id, by=args.by, expected_version=args.version)
    print(f"draft {article.id}: proposal discarded; revision {article.current_revision} stays current")
    return EXIT_OK


def cmd_drafts_diff(args: argparse.Namespace) -> int:
    from generator.desk.console import revision_diff

    text = revision_diff(_store(args), args.id, args.old, args.new)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def cmd_drafts_edit(args: argparse.Namespace) -> int:
    from generator.desk.checking import describe
    from generator.desk.console import edit_in_editor

    result = edit_in_editor(_store(args), args.id, by=args.by or getpass.getuser(), correction=args.correction)
    if result is None or result.revision is None:
        print(f"draft {args.id}: no changes, nothing saved")
        return EXIT_OK
    article = result.article
    print(f"draft {article.id}: saved revision {result.revision.number} ({article.status}): "
          f"{describe(article.factcheck)}")
    return EXIT_BLOCKED if article.status == "blocked" else EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    from generator.desk.console import publish_lines
    from generator.desk.publish import publish_article, requested_targets

    settings = settings_for(args)
    requested_targets(settings, args.target)  # (a missing target is said before any store is opened)
    result = publish_article(_existing(settings, args.id), settings, args.id, args.target)
    for line in publish_lines(result):
        print(line)
    for t in result.targets:  # and each failure on stderr: what a cron mail or a log shows
        if t.outcome == "failed":
            sys.stderr.write(f"{PROG}: error: draft {result.article_id}: {t.target} failed: {t.error}\n")
    return result.exit_code


def _store(args: argparse.Namespace) -> Store:
    return _existing(settings_for(args), args.id)


def _existing(settings: Settings, draft_id: int) -> Store:
    from generator.desk.store import existing_store

    store = existing_store(settings, draft_id)
    assert store is not None  # (asked for a draft, a missing store raises NotFound)
    return store


def cmd_review(args: argparse.Namespace) -> int:
    from generator.desk.server import serve

    serve(settings_for(args), host=args.host, port=args.port)
    return EXIT_OK


def cmd_review_set_password(args: argparse.Namespace) -> int:
    from generator.desk.auth import config_file, hash_password, save_password_hash
    from generator.desk.console import read_new_password

    target = config_file(args.config)
    save_password_hash(target, hash_password(read_new_password()))
    print(f"review password set in {target}; restart 'marketnews review' to use it (open sessions end)")
    if os.environ.get("MARKETNEWS_REVIEW_PASSWORD_HASH"):
        sys.stderr.write(f"{PROG}: warning: MARKETNEWS_REVIEW_PASSWORD_HASH is set and overrides {target}\n")
    return EXIT_OK

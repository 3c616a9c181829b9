"""The `minutes` command line: parses, calls `index`, prints. No search logic lives here."""
from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import click

from index.config import DEFAULT_CORPUS, INDEX, MAX_MB, MODEL, POLICY, READ_MEMORY, READ_TIMEOUT, STORE, default_index
from index.embed import ModelNotFound
from index.errors import AlreadyRunning, GoldFileError, NothingToIngest, RunStopped, StoreError

EXIT_OK = 0
EXIT_UNEXPECTED = 1       # an error in this program: Python's own code, with the traceback on stderr
EXIT_USAGE = 2            # click's own code for a bad option or argument
EXIT_NOTHING_DONE = 3     # nothing could be done; the index is as it was
EXIT_BUSY = 4             # another ingest holds the index
EXIT_SOME_FAILED = 5      # some files could not be read; every other file went in
EXIT_STOPPED = 6          # the run stopped part-way; what it committed stays, the next run finishes


def _index_option(f):
    return click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
                        envvar=INDEX.envvar, default=None, help=INDEX.help)(f)


def _model_option(f):
    return click.option("--model", envvar=MODEL.envvar, default=None, help=MODEL.help)(f)


def _store_option(f):
    # Kept in the environment, so that every store this command opens, and the page's own process under
    # `serve`, searches the same backend.
    def remember(ctx, param, value):
        from index.backends import BadStoreSetting, open_backend

        if value:
            try:
                open_backend(value)
            except BadStoreSetting as exc:
                raise click.BadParameter(str(exc)) from None
            os.environ[STORE.envvar] = value
        return value

    return click.option("--store", envvar=STORE.envvar, default=None, expose_value=False, callback=remember,
                        is_eager=True, help=STORE.help)(f)


def _user_errors(f):
    """Problems a user can cause become one line on stderr and an exit code, never a traceback; anything
    else is a bug, left to Python (exit 1, the traceback on stderr, which the journal keeps)."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except AlreadyRunning as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_BUSY)
        except RunStopped as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_STOPPED)
        except (StoreError, ModelNotFound, NothingToIngest, GoldFileError) as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_NOTHING_DONE)
        except sqlite3.DatabaseError as exc:  # damage found mid-query, past the checks made on opening
            click.echo(f"Error: the index cannot be read: {exc}", err=True)
            sys.exit(EXIT_NOTHING_DONE)
    return wrapper


def _iso(value) -> str | None:
    return value.strftime("%Y-%m-%d") if value else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log each file at INFO.")
def main(verbose: bool) -> None:
    """Ask plain questions of meeting minutes; get the sentence that answers, with its citation.

    Example:

        minutes ingest corpus/ && minutes ask "What was the 101 target?"
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_index_option
@_model_option
@click.option("--max-mb", type=click.FloatRange(min=0.001), envvar=MAX_MB.envvar, default=50.0, show_default=True,
              help=MAX_MB.help)
@click.option("--read-timeout", type=click.FloatRange(min=0.1), envvar=READ_TIMEOUT.envvar, default=120.0,
              show_default=True, help=READ_TIMEOUT.help)
@click.option("--read-memory-mb", type=click.IntRange(min=64), envvar=READ_MEMORY.envvar, default=2048,
              show_default=True, help=READ_MEMORY.help)
@click.option("--collection", default="default", show_default=True,
              help="Put the documents under PATH in this collection (its readers are the access policy's to say); "
                   "a document ingested before under another collection moves, without being read again.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the run's figures.")
@_store_option
@_user_errors
def ingest(paths: tuple[Path, ...], index_dir: Path | None, model: str | None, max_mb: float, read_timeout: float,
           read_memory_mb: int, collection: str, as_json: bool) -> None:
    """Bring the index in line with folders of minutes: new files added, changed ones replaced,
    deleted ones removed. Safe to run every night; unchanged files cost a hash, not the model.

    Exit codes: 0 every file is in; 1 an unexpected error (its traceback on stderr); 2 usage;
    3 nothing could be done and nothing changed; 4 another ingest is running; 5 some files failed
    and the rest went in; 6 the run stopped part-way (what it committed stays, the next run finishes).

    Example:

        minutes ingest /srv/minutes --index /var/lib/minutes-qa --json
    """
    from index.sync import Ingester

    paths = paths or (DEFAULT_CORPUS,)
    folder = index_dir or default_index()
    report = Ingester(folder, model=model, max_bytes=int(max_mb * 1024 * 1024), read_timeout=read_timeout,
                      read_memory_mb=read_memory_mb, collection=collection).run(list(paths))
    if as_json:
        click.echo(json.dumps(report.contract()))
    else:
        click.echo(f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
                   f"{report.removed} removed, {len(report.failed)} failed, {report.chunks} chunks embedded "
                   f"in {report.seconds:.1f}s ({folder})")
        for f in report.failed:
            click.echo(f"  failed: {f['document']}: {f['error']}", err=True)
    if report.failed:
        nothing = not (report.added or report.updated or report.removed or report.unchanged)
        sys.exit(EXIT_NOTHING_DONE if nothing else EXIT_SOME_FAILED)


@main.command()
@click.argument("question", required=False)
@_index_option
@_model_option
@click.option("--top-k", type=click.IntRange(1, 100), default=5, show_default=True, help="Passages to return.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only meetings on or after DATE.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only meetings on or before DATE.")
@click.option("--series", multiple=True, help="Only meetings of this series (repeatable).")
@click.option("--collections", default=None, metavar="NAME[,NAME...]",
              help="Answer as a reader cleared for these collections alone would see it. Without it the command, "
                   "the server's own account, reads every collection.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question.")
@_store_option
@_user_errors
def ask(question, index_dir, model, top_k, since, until, series, collections, as_json) -> None:
    """Answer a question with the sentence that answers it, quoted, with its citation.
    With no QUESTION, answers one question per line of standard input.

    Example:

        minutes ask "What was the 101 target?" --since 2021-01-01 --json
    """
    from index.search import Filters, Searcher

    searcher = Searcher(index_dir or default_index(), model=model)
    cleared = None if collections is None else [c.strip() for c in collections.split(",") if c.strip()]
    filters = Filters(since=_iso(since), until=_iso(until), series=list(series), collections=cleared)
    questions = [question] if question is not None else (line.strip() for line in sys.stdin)
    for q in questions:
        if not q:
            continue
        result = searcher.ask(q, top_k=top_k, filters=filters)
        if as_json:
            click.echo(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            click.echo(_format_result(result))


def _citation(x) -> str:
    parts = [x.title or "", x.date or "date unknown", x.item or "", f"page {x.page}" if x.page else ""]
    return f"{x.document}: " + ", ".join(p for p in parts if p)


def _format_result(result) -> str:
    lines = [f"Q: {result.question}"]
    if result.answer is None:
        lines.append("No answer found in the minutes.")
    else:
        lines.append(f"“{result.answer.text}”")
        lines.append(f"  — {_citation(result.answer)}")
        if result.later is not None:
            lines.append(f"Later: “{result.later.text}”")
            lines.append(f"  — {_citation(result.later)}")
    for p in result.passages:
        snippet = " ".join(p.text.split())
        lines.append(f"  [{p.rank}] {p.score:.3f} {_citation(p)}")
        lines.append(f"      {snippet[:200]}{'…' if len(snippet) > 200 else ''}")
    return "\n".join(lines) + "\n"


@main.command()
@_index_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_store_option
@_user_errors
def status(index_dir, as_json) -> None:
    """Say what is in the index: documents, meetings, chunks, the model, the last ingest.

    Example:

        minutes status --json
    """
    from index.status import index_status

    info = index_status(index_dir or default_index())
    if as_json:
        click.echo(json.dumps(info))
        return
    click.echo(f"Index: {info['index']}")
    click.echo(f"Documents: {info['documents']}  Meetings: {info['meetings']}  Chunks: {info['chunks']}")
    click.echo(f"Model: {info['model'] or 'none yet'}")
    enc = info.get("encoder")
    if enc:
        click.echo(f"Encoder: {enc['encoder']}, {enc['state']}" + (f" ({enc['export']})" if enc["export"] else ""))
    last = info["last_ingest"]
    if last:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(last["finished_at"]))
        click.echo(f"Last ingest: {when}: {last['added']} added, {last['updated']} updated, "
                   f"{last['unchanged']} unchanged, {last['removed']} removed, {len(last['failed'])} failed")
    st = info.get("store")
    if st:
        line = f"Store: {st['backend']}" + (f" ({st['uri']}): {st['chunks']} chunks" if st.get("uri") else "")
        click.echo(line)
        for problem in st.get("disagreements", []):
            click.echo(f"  disagrees with the ledger: {problem}")
    for f in info["failed"]:
        click.echo(f"  failed: {f['document']}: {f['error']}")


@main.command(name="migrate-store")
@_index_option
@click.option("--to", "target", required=True, metavar="STORE",
              help="The store to copy into: milvus:PATH.db or milvus://HOST:PORT (sqlite rebuilds its caches).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_user_errors
def migrate_store(index_dir, target, as_json) -> None:
    """Copy an index's chunks and their vectors into another store, embedding nothing again. Safe to run
    again: it writes only what the target lacks or holds differently, and removes what the index no longer has.
    Then run every command with --store (or $MINUTES_STORE) set to the target.

    Example:

        minutes migrate-store --to milvus:/var/lib/minutes-qa/chunks.db
    """
    from index.migrate import migrate

    folder = index_dir or default_index()
    done = migrate(folder, target)
    if as_json:
        click.echo(json.dumps(done))
    else:
        click.echo(f"{done['written']} chunks written, {done['removed']} removed: {done['chunks']} chunks in "
                   f"{done['store']} ({folder})")


@main.command()
@_index_option
@click.option("--json", "as_json", is_flag=True,
              help='One gold question a line ({"q", "doc", "expect", "verdict"}), ready for `minutes eval`.')
@_user_errors
def feedback(index_dir, as_json) -> None:
    """List the verdicts officers gave answers on the web page ("this answer is right / wrong") as
    gold-question candidates: the question, the document and the quote shown, and the verdict. The latest
    verdict on each question and answer counts. Keep the right ones as gold questions; a wrong one wants
    the quote that does answer in its "expect".

    Example:

        minutes feedback --json > benchmarks/gold/from-officers.jsonl
    """
    from index.errors import IndexNotFound
    from ui import feedback as verdicts

    folder = (index_dir or default_index()).expanduser()
    if not folder.is_dir():
        raise IndexNotFound(f"there is no index folder at {folder}")
    found, bad = verdicts.read(folder)
    for n in bad:
        click.echo(f"Warning: {verdicts.path(folder)}:{n} is not a verdict; skipped", err=True)
    shown = verdicts.candidates(found)
    if not shown:
        click.echo(f"No verdicts recorded yet in {verdicts.path(folder)}", err=True)
    for v in shown:
        if as_json:
            click.echo(json.dumps(v.gold(), ensure_ascii=False))
        else:
            click.echo(f"[{v.verdict}] {v.question}\n  “{' '.join(v.text.split())}”\n"
                       f"  — {v.document}{f', page {v.page}' if v.page else ''} ({v.time})")


@main.command()
@_index_option
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--policy", type=click.Path(dir_okay=False, path_type=Path), envvar=POLICY.envvar, default=None,
              help=POLICY.help + " With sign-in on, a reader sees the collections it clears them for, and nothing "
                                 "without it.")
@click.option("--allow-open", is_flag=True,
              help="Listen on an address other machines can reach although sign-in is not configured: anyone who "
                   "reaches the page reads every collection.")
@_store_option
@_user_errors
def serve(index_dir, port, host, policy, allow_open) -> None:
    """Start the web page on an index, ingesting the bundled corpus/ first when the index is empty.

    Sign-in is Streamlit's own (OIDC), configured by an [auth] table in .streamlit/secrets.toml in the
    working folder or in ~/.streamlit/ (deploy/README.md). Without it the page is open to whoever reaches
    it, so it listens only on a loopback address unless told --allow-open.

    Example:

        minutes serve --port 8501 --policy /etc/minutes-qa/policy.toml
    """
    from index.access import PolicyError, load_policy
    from index.status import is_empty
    from index.sync import Ingester
    from ui.signin import SecretsUnreadable, is_loopback, signin_configured

    app = Path(__file__).with_name("app.py")
    try:
        signin = signin_configured(Path.cwd(), Path.home(), app.parent)
    except SecretsUnreadable as exc:
        click.echo(f"Error: sign-in settings: {exc}", err=True)
        sys.exit(EXIT_NOTHING_DONE)
    if not signin and not is_loopback(host):
        if not allow_open:
            click.echo(f"Error: sign-in is not configured (no [auth] table in .streamlit/secrets.toml here or in "
                       f"~/.streamlit/), so the page on {host} would show every collection to anyone who can "
                       f"reach it: listen on 127.0.0.1, configure sign-in (deploy/README.md), or pass "
                       f"--allow-open.", err=True)
            sys.exit(EXIT_NOTHING_DONE)
        click.echo(f"Warning: sign-in is not configured: anyone who can reach {host}:{port} reads every "
                   f"collection.", err=True)
    if policy is not None:
        try:
            load_policy(policy)
        except PolicyError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_NOTHING_DONE)
    elif signin:
        click.echo("Warning: sign-in is on but no access policy was given (--policy or $MINUTES_POLICY): "
                   "every reader will be told no minutes are open to them.", err=True)
    folder = (index_dir or default_index()).expanduser().resolve()
    if is_empty(folder):
        click.echo(f"Index {folder} is empty: ingesting {DEFAULT_CORPUS} first ...", err=True)
        report = Ingester(folder).run([DEFAULT_CORPUS])
        click.echo(f"{report.added} documents, {report.chunks} chunks", err=True)
    env = {**os.environ, INDEX.envvar: str(folder)}
    if policy is not None:
        env[POLICY.envvar] = str(policy.expanduser().resolve())
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", host, "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           # Officers need no developer menu or "Deploy" button.
           "--client.toolbarMode", "viewer"]
    click.echo(f"Serving on http://{host}:{port}", err=True)
    sys.exit(_run_until_stopped(cmd, env))


def _run_until_stopped(cmd: list[str], env: dict) -> int:
    """Run the page's server as a child and stop it with us: SIGTERM or SIGINT to `minutes serve` (systemd's
    stop, Ctrl-C) reaches Streamlit too, so nothing is left listening on the port."""
    import signal

    child = subprocess.Popen(cmd, env=env)

    def forward(signum, _frame):
        if child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        while True:
            try:
                return child.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:        # it would not stop when asked: it must not outlive us
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


@main.command()
@_index_option
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only questions asked on or after DATE.")
@click.option("--user", help="Only the questions of this signed-in reader (e-mail).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a question asked.")
@_user_errors
def audit(index_dir, since, user, as_json) -> None:
    """Who asked what on the web page, when, with which filters and clearance, and which documents the
    answer and passages came from. The trail is a file of its own beside the index folder; it holds no
    passage text.

    Example:

        minutes audit --since 2024-03-01 --user jane.doe@opcc.example --json
    """
    from index.audit import AuditLog, audit_path

    path = audit_path(index_dir or default_index())
    if not path.exists():
        click.echo(f"No questions recorded yet ({path})", err=True)
        return
    log = AuditLog(path)
    try:
        rows = log.read(since=since.timestamp() if since else None, user=user)
    finally:
        log.close()
    for r in rows:
        when = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(r.at))
        if as_json:
            click.echo(json.dumps({"at": when, "user": r.user, "question": r.question, "filters": r.filters,
                                   "collections": r.collections, "answer_document": r.answer_document,
                                   "passage_documents": r.passage_documents}, ensure_ascii=False))
        else:
            cleared = "all" if r.collections is None else ",".join(r.collections) or "none"
            click.echo(f"{when}  {r.user or '(sign-in off)'}  [{cleared}]  {r.question}  -> "
                       f"{r.answer_document or 'no answer'}")


@main.command(name="eval")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_index_option
@_model_option
@click.option("--mode", type=click.Choice(["hybrid", "keyword", "dense", "all"]), default="all", show_default=True,
              help="Which ranking to score: the product (hybrid), one baseline alone, or all three side by side.")
@click.option("--split", "part", type=click.Choice(["all", "dev", "test"]), default="all", show_default=True,
              help="Score only the questions of one part of the frozen split (split.json beside QUESTIONS).")
@click.option("--ablate", is_flag=True, help="Also score the product with each signal turned off in turn.")
@click.option("--misses/--no-misses", default=True, show_default=True, help="List the questions missed.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the settings, figures and misses.")
@_store_option
@_user_errors
def eval_(questions, index_dir, model, mode, part, ablate, misses, as_json) -> None:
    """Score the index against gold questions ({"q", "doc", "expect", "kinds"} per line): hit@1/3/5,
    MRR, answer-hit (the quote holds every expected string) and the quote's length, overall and by kind,
    for the product beside keyword and dense alone. Prints the settings it ran with.

    Example:

        minutes eval benchmarks/gold/real.jsonl --split dev --ablate
    """
    from index.eval import evaluate, load_gold, split_part
    from index.search import DEFAULT, Searcher, Settings

    golds = split_part(load_gold(questions), questions.with_name("split.json"), part)
    searcher = Searcher(index_dir or default_index(), model=model)
    runs = {m: Settings.baseline(m) for m in (["hybrid", "keyword", "dense"] if mode == "all" else [mode])}
    if ablate:
        runs.update(DEFAULT.ablations())
    results = {name: evaluate(searcher, golds, st) for name, st in runs.items()}
    first = next(iter(results.values()))
    if as_json:
        click.echo(json.dumps({"split": part, "settings": DEFAULT.describe(),
                               "runs": {n: {**e.figures(), "by_kind": e.kinds()} for n, e in results.items()},
                               "misses": first.misses}))
        return
    click.echo("settings: " + ", ".join(f"{k}={v}" for k, v in DEFAULT.describe().items()))
    click.echo(f"\n{part} questions: {len(golds)}\n")
    click.echo(_figures_table("run", {n: e.figures() for n, e in results.items()}))
    click.echo(f"\nby kind ({next(iter(results))}):\n")
    click.echo(_figures_table("kind", first.kinds()))
    if misses and first.misses:
        click.echo(f"\nMisses ({next(iter(results))}):")
        for miss in first.misses:
            click.echo(f"  rank={miss['rank']} {miss['doc']}: {miss['q']}  expect={miss['expect']}")
            click.echo(f"      answer: {miss['answer']}")


def _figures_table(label: str, rows: dict[str, dict]) -> str:
    keys = ("questions", "hit_at_1", "hit_at_3", "hit_at_5", "mrr", "answer_hit", "answered", "quote_words")
    heads = ("n", "hit@1", "hit@3", "hit@5", "MRR", "answer", "answered", "words")
    width = max([len(label)] + [len(n) for n in rows]) + 1
    lines = [f"{label:<{width}}" + "".join(f"{h:>9}" for h in heads)]
    for name, f in rows.items():
        cells = [f"{f[k]:>9}" if k in ("questions", "quote_words") else f"{f[k]:>9.3f}" for k in keys]
        lines.append(f"{name:<{width}}" + "".join(cells))
    return "\n".join(lines)


if __name__ == "__main__":
    main()

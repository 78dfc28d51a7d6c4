#!/bin/sh
# Checks the files whose locking is annotated (common/mutex.h) with clang's
# thread-safety analysis: each is compiled with its own flags from
# build/compile_commands.json, by clang++ with -fsyntax-only and
# -Werror=thread-safety. g++ (the build's compiler) ignores the annotations.
# Usage: scripts/thread-safety.sh [BUILD_DIR]   (make thread-safety)
set -eu
BUILD=${1:-build}
CLANGXX=${CLANGXX:-clang++-14}
export CLANGXX
command -v "$CLANGXX" >/dev/null || { echo "thread-safety: $CLANGXX is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
exec python3 - "$BUILD" <<'PY'
import json, os, shlex, subprocess, sys, pathlib
build = pathlib.Path(sys.argv[1]).resolve()
root = build.parent if (build.parent / "src").is_dir() else pathlib.Path.cwd()
# The annotated files; a file joins the list when its mutexes are fdyno::Mutex.
annotated = ["src/kv/postgres/pg_conn.cc", "src/kv/postgres/pg_store.cc", "src/kv/postgres/pg_schema.cc",
             "src/common/parker.cc", "src/common/fiber.cc", "src/kv/read_version_registry.cc", "src/kv/rocksdb/rocksdb_backend.cc",
             "src/expr/cache.cc", "src/kv/commit_pipeline.cc", "src/engine/ttl_sweeper.cc", "src/engine/index_backfill.cc",
             "src/engine/catalog.cc", "src/http/connection.cc", "tests/unit/common/combiner_test.cc"]
db = {str(pathlib.Path(e["file"]).resolve()): e for e in json.load(open(build / "compile_commands.json"))}
failed = 0
for f in annotated:
    e = db.get(str((root / f).resolve()))
    if e is None:
        print("thread-safety: %s is not in %s/compile_commands.json" % (f, build)); failed += 1; continue
    args = shlex.split(e["command"]) if "command" in e else e["arguments"]
    # Drop the compiler, the output and g++-only flags; keep defines and includes.
    keep, skip = [], False
    for a in args[1:]:
        if skip: skip = False; continue
        if a in ("-o", "-MF", "-MT", "-MQ"): skip = True; continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-fno-semantic") or a == e["file"]: continue
        keep.append(a)
    cmd = [os.environ["CLANGXX"], "-fsyntax-only", "-Wthread-safety", "-Werror=thread-safety", "-Wno-unknown-warning-option",
           "-Wno-unused-command-line-argument"] + keep + [e["file"]]
    r = subprocess.run(cmd, cwd=e["directory"], capture_output=True, text=True)
    if r.returncode != 0:
        print("thread-safety: %s\n%s" % (f, r.stderr)); failed += 1
    else:
        print("thread-safety: %s ok" % f)
sys.exit(1 if failed else 0)
PY

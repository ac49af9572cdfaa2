#!/bin/bash
# How index_29d8582.tar.gz was made (round 27, upgrade27): an index built and changed by an older release.
#   git archive 29d8582 | tar -x -C /tmp/old && cp index/search/*.so /tmp/old/index/search/ && cp index/ingest/*.so /tmp/old/index/ingest/
#   tests/data/upgrade/make_index_29d8582.sh /tmp/old /tmp/fx .venv/bin/python
#   (cd /tmp/fx && rm -rf in && tar --sort=name --owner=0 --group=0 --mtime=2026-11-27 -czf OUT seeds index)
set -u
CODE=$1; W=$2; PY="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"  # the venv's python (its symlink kept)
rm -rf $W; mkdir -p $W/seeds $W/in
cat > $W/seeds/sports.md <<'A'
---
title: Bundesliga results
date: 2026-07-05
---
Results of German first division soccer matches on Saturday: Hamburg 2 Stuttgart 1, Bayern Munich 3 Cologne 0, Werder Bremen 1 Freiburg 1.
Hamburg moved up to third place in the table.
A
cat > $W/seeds/harbour.md <<'A'
---
title: Harbour festival moves to August
date: 2026-07-01
---
The Riverton harbour festival will move to August 14, Mayor Ana Lopez said on Tuesday.
Organisers from Harbour Events Ltd said the new date gives fishermen more time.
A
cat > $W/in/bridge.md <<'A'
---
title: Bridge repairs finish early
date: 2026-07-02
---
Repairs to the Kingsway bridge finished on Friday, two weeks early, said engineer Tom Baker of Northway Council.
A
cat > $W/in/withdrawn.md <<'A'
---
title: A story later withdrawn
date: 2026-07-03
---
The Westfield library will close on Monday for a month, said Julia Stone.
A
cd $CODE
run() { $PY -m bot --seeds $W/seeds --index-dir $W/index "$@"; echo "rc=$?"; }
run index build
run ingest $W/in/bridge.md $W/in/withdrawn.md
run remove withdrawn
run follow https://news.example.org/feed.xml
run ask "When will the harbour festival move?"
run index stats

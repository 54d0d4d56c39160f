#!/usr/bin/env bash
# S3-to-S3 artifact logging benchmark: server-side copy vs download-then-upload, same run.
# Usage (from the repository root): bench/s3/run.sh [total MiB=1024] [files=8] [repetitions=3]
# Needs the storage-s3-adapter test-jar classes (built here) and S3Mock from its test classpath.
set -euo pipefail
cd "$(dirname "$0")/../.."
OFFLINE=${MVN_OFFLINE:--o}
# never install: ~/.m2 is shared; the class path is resolved in the same reactor, so ~/.m2 needs no cropcast module
mvn -B -q $OFFLINE -pl storage-s3-adapter -am package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# cropcast's own classes from this work tree, not from ~/.m2 (which other builds may replace mid-run)
DEPS=$(tr ':' '\n' < storage-s3-adapter/target/bench-classpath.txt | grep -v '/org/cropcast/' | paste -sd: -)
CP="tracking-core/target/classes:storage-s3-adapter/target/classes:storage-s3-adapter/target/test-classes:$DEPS"
exec java -Xmx1g -cp "$CP" bench/s3/S3CopyBench.java "$@"

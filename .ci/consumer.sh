#!/usr/bin/env bash
# Proves the README's "Use cropcast's tracking from another build": `mvn install` into a throwaway
# local repository (never ~/.m2, which other builds share), then a tiny consumer build that imports
# org.cropcast:cropcast-bom and depends on tracking-core plus tracking-mlflow-adapter, compiles
# docs/EMBEDDING.md's example, resolves no Guice or picocli, and writes a FINISHED run into SQLite.
#   .ci/consumer.sh [throwaway-repo-dir]     (default: a new temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD
repo=${1:-$(mktemp -d "${TMPDIR:-/tmp}/cropcast-consumer-m2.XXXXXX")}
work=$(mktemp -d "${TMPDIR:-/tmp}/cropcast-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$repo"
# seed the throwaway repository with third-party artifacts already downloaded (saves the registry
# round trips), but never with cropcast's own: those must come from this install
if [[ -d "$HOME/.m2/repository" && -z "$(ls -A "$repo")" ]]; then
  (cd "$HOME/.m2/repository" && tar --exclude=./org/cropcast -cf - .) | (cd "$repo" && tar xf -)
fi
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)

echo "[consumer] mvn install into $repo"
mvn -B -q install -DskipTests -Dmaven.repo.local="$repo"

mkdir -p "$work/src/main/java"
python3 - "$project/docs/EMBEDDING.md" "$work/src/main/java/TrackTraining.java" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<!-- embedding-example:[^>]*-->\s*```java\n(.*?)```", text, re.S)
if not m:
    sys.exit("[consumer] docs/EMBEDDING.md has no marked example")
open(sys.argv[2], "w", encoding="utf-8").write(m.group(1))
PY
cat > "$work/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>cropcast-consumer</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.cropcast</groupId>
        <artifactId>cropcast-bom</artifactId>
        <version>$version</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.cropcast</groupId>
      <artifactId>tracking-core</artifactId>
    </dependency>
    <dependency>
      <groupId>org.cropcast</groupId>
      <artifactId>tracking-mlflow-adapter</artifactId>
      <scope>runtime</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.5.0</version></plugin>
      <plugin><artifactId>maven-jar-plugin</artifactId><version>3.5.1</version></plugin>
      <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version></plugin>
      <plugin><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
    </plugins>
  </build>
</project>
POM

echo "[consumer] building the consumer against $repo"
(cd "$work" && mvn -B -q package dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=cp.txt \
  -Dmaven.repo.local="$repo")
cp=$(cat "$work/cp.txt")
echo "[consumer] runtime class path: ${cp//:/ }"
if tr ':' '\n' <<<"$cp" | grep -E '/(guice|picocli|guava)-[^/]*\.jar$'; then
  echo "[consumer] Guice or picocli reached the consumer's class path" >&2
  exit 1
fi
db="$work/mlruns.db"
run_id=$(java -cp "$cp:$work/target/classes" TrackTraining "sqlite:///$db")
python3 - "$db" "$run_id" <<'PY'
import sqlite3, sys
row = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True).execute(
    "select status, name from runs where run_uuid = ?", (sys.argv[2],)).fetchone()
print("[consumer] run", sys.argv[2], row)
if row != ("FINISHED", "toy-training"):
    sys.exit("[consumer] expected a FINISHED run named toy-training")
PY
echo "[consumer] passed"

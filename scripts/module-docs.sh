#!/usr/bin/env bash
# Regenerates docs/modules/ from the code: Spring Modulith's Documenter (run by ModulesTest) writes the module
# diagrams (PlantUML, C4 style) and module canvases; this copies them into docs/modules/ and renders the overview
# as docs/modules/components.png with PlantUML's pure-Java layout (no Graphviz needed). ModulesTest fails when the
# committed components.puml no longer matches the modules, so run this after changing a module's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

plantuml_version=1.2025.10
# The comparison with the committed copy fails while it is stale, which is why we are here: the files are written first.
./mvnw -q -B -ntp test -Dtest=ModulesTest -Dsurefire.failIfNoSpecifiedTests=false >/dev/null 2>&1 || true
[ -s target/spring-modulith-docs/components.puml ] || { echo "ModulesTest wrote no documentation" >&2; exit 1; }
./mvnw -q -B -ntp dependency:get -Dartifact=net.sourceforge.plantuml:plantuml:$plantuml_version
jar="$HOME/.m2/repository/net/sourceforge/plantuml/plantuml/$plantuml_version/plantuml-$plantuml_version.jar"

rm -rf docs/modules
mkdir -p docs/modules
cp target/spring-modulith-docs/*.puml target/spring-modulith-docs/*.adoc docs/modules/
work=$(mktemp -d)
sed 's/^@startuml$/@startuml\n!pragma layout smetana/' docs/modules/components.puml > "$work/components.puml"
java -jar "$jar" -tpng "$work/components.puml"
cp "$work/components.png" docs/modules/components.png
rm -rf "$work"
echo "docs/modules/ regenerated"

package io.gifchat.web.browser;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.gifchat.NodeTools;

/**
 * axe-core (Deque's accessibility engine, the npm package pinned in {@code src/test/node/axe}) in our pages. The
 * script is added to a context as an init script — the DevTools protocol's way in, which the pages'
 * Content-Security-Policy (script-src 'self') does not govern, so the policy stays on and is tested as it is.
 */
final class Axe {

    static final Path SOURCE = Path.of("src", "test", "node", "axe");
    static final Path WORK = Path.of("target", "axe");

    private static String script;

    private Axe() {
    }

    /** axe.min.js, installed once per test JVM (skips the test without node/npm, except under CI). */
    static synchronized String script() throws Exception {
        if (script == null) {
            NodeTools.requireNodeAndNpm("the axe-core audit");
            Path min = WORK.resolve("node_modules/axe-core/axe.min.js");
            if (!Files.exists(min)) {
                NodeTools.install(SOURCE, WORK, List.of("package.json", "package-lock.json"));
            }
            script = Files.readString(min, StandardCharsets.UTF_8);
        }
        return script;
    }

    /** Every page opened in {@code context} from now on carries axe. */
    static void into(BrowserContext context) throws Exception {
        context.addInitScript(script());
    }

    /**
     * The page's serious and critical violations (WCAG 2.x A/AA rules and best practices), one line each: rule,
     * impact, what it asks for, and the elements that break it.
     */
    @SuppressWarnings("unchecked")
    static List<String> seriousViolations(Page page) {
        List<Map<String, Object>> violations = (List<Map<String, Object>>) page.evaluate("""
                async () => {
                  const result = await axe.run(document, { resultTypes: ['violations'] });
                  return result.violations
                      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                      .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                     nodes: v.nodes.map((n) => n.target.join(' ') + ' — ' + n.failureSummary) }));
                }""");
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> v : violations) {
            lines.add(v.get("id") + " (" + v.get("impact") + "): " + v.get("help") + " " + v.get("nodes"));
        }
        return lines;
    }
}

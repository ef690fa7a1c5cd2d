package io.gifchat.web.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;

/**
 * Accessibility checks on what Chromium shows, for tests: accessible names as Chromium's own accessibility tree
 * computes them (over the DevTools protocol), text contrast as WCAG 2 defines it, landmarks and headings. Each
 * returns the problems found, described, so a failing assertion says what and where. Not axe: a few rules, exactly.
 */
final class PageChecks {

    /** Roles of things a person operates; each needs a name. */
    private static final Set<String> CONTROLS = Set.of("button", "link", "textbox", "searchbox", "spinbutton",
            "checkbox", "radio", "switch", "combobox", "listbox", "slider", "menuitem", "tab");

    private PageChecks() {
    }

    /** Every control in the accessibility tree without an accessible name. */
    static List<String> unnamedControls(Page page) {
        List<String> problems = new ArrayList<>();
        for (JsonObject node : axTree(page)) {
            String role = value(node, "role");
            if (CONTROLS.contains(role) && value(node, "name").isBlank()) {
                problems.add(role + " without a name (DOM node " + node.get("backendDOMNodeId") + ")");
            }
        }
        return problems;
    }

    /** One banner, one main, one level-1 heading, and heading levels that never skip one (h1 → h3). */
    static List<String> structureProblems(Page page) {
        List<String> problems = new ArrayList<>();
        int banners = 0;
        int mains = 0;
        List<Integer> levels = new ArrayList<>();
        for (JsonObject node : axTree(page)) {
            switch (value(node, "role")) {
                case "banner" -> banners++;
                case "main" -> mains++;
                case "heading" -> levels.add(level(node));
                default -> { }
            }
        }
        if (banners != 1) {
            problems.add(banners + " banner landmarks (the top bar), not 1");
        }
        if (mains != 1) {
            problems.add(mains + " main landmarks, not 1");
        }
        if (levels.stream().filter(l -> l == 1).count() != 1) {
            problems.add("headings " + levels + ": not exactly one of level 1");
        }
        for (int i = 1; i < levels.size(); i++) {
            if (levels.get(i) > levels.get(i - 1) + 1) {
                problems.add("headings " + levels + ": level " + levels.get(i) + " after " + levels.get(i - 1));
            }
        }
        Object lang = page.evaluate("document.documentElement.lang");
        if (!(lang instanceof String s) || s.isBlank()) {
            problems.add("no lang on <html>");
        }
        if (page.title().isBlank()) {
            problems.add("no title");
        }
        return problems;
    }

    /**
     * Every visible text (and placeholder) whose contrast with what is behind it is below WCAG's 4.5:1 (3:1 for
     * large text: 24 px, or 18.66 px bold). The background is the element's and its ancestors' background colors
     * composited over white; a color the script cannot read is reported rather than passed.
     */
    @SuppressWarnings("unchecked")
    static List<String> lowContrastText(Page page) {
        return (List<String>) page.evaluate("""
                () => {
                  const parse = (c) => {
                    const m = /^rgba?\\(([^)]*)\\)$/.exec(c);
                    if (!m) return null;
                    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
                    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
                  };
                  const over = (top, bottom) => {
                    const a = top[3] + bottom[3] * (1 - top[3]);
                    return [0, 1, 2].map((i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a).concat([a]);
                  };
                  const behind = (element) => {
                    const layers = [];
                    for (let e = element; e; e = e.parentElement) {
                      const bg = parse(getComputedStyle(e).backgroundColor);
                      if (bg === null) return null;
                      if (bg[3] > 0) layers.push(bg);
                      if (bg[3] >= 1) break;
                    }
                    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
                  };
                  const luminance = ([r, g, b]) => {
                    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
                    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
                  };
                  const ratio = (a, b) => {
                    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
                    return (hi + 0.05) / (lo + 0.05);
                  };
                  const shown = (e) => {
                    const r = e.getBoundingClientRect();
                    return r.width > 1 && r.height > 1 && e.checkVisibility({ opacityProperty: true, visibilityProperty: true });
                  };
                  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
                  const problems = [];
                  const check = (element, text, color) => {
                    const style = getComputedStyle(element);
                    const fg = parse(color);
                    const bg = behind(element);
                    if (fg === null || bg === null) {
                      problems.push(`${name(element)} "${text}": color ${color} on ${style.backgroundColor} not readable here`);
                      return;
                    }
                    const size = parseFloat(style.fontSize);
                    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
                    const needed = large ? 3 : 4.5;
                    const r = ratio(over(fg, bg), bg);
                    if (r < needed - 0.005) {
                      problems.push(`${name(element)} "${text}": ${color} on rgb(${bg.slice(0, 3).map(Math.round)}) is ${r.toFixed(2)}:1 < ${needed}:1`);
                    }
                  };
                  const seen = new Set();
                  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const text = node.textContent.trim();
                    const element = node.parentElement;
                    if (!text || seen.has(element) || !shown(element)) continue;
                    seen.add(element);
                    check(element, text.slice(0, 40), getComputedStyle(element).color);
                  }
                  document.querySelectorAll('input[placeholder]').forEach((input) => {
                    if (shown(input) && !input.value) check(input, 'placeholder ' + input.placeholder, getComputedStyle(input, '::placeholder').color);
                  });
                  return problems;
                }""");
    }

    private static List<JsonObject> axTree(Page page) {
        CDPSession cdp = page.context().newCDPSession(page);
        try {
            List<JsonObject> nodes = new ArrayList<>();
            for (JsonElement node : cdp.send("Accessibility.getFullAXTree").getAsJsonArray("nodes")) {
                JsonObject object = node.getAsJsonObject();
                if (!object.has("ignored") || !object.get("ignored").getAsBoolean()) {
                    nodes.add(object);
                }
            }
            return nodes;
        } finally {
            cdp.detach();
        }
    }

    private static String value(JsonObject node, String field) {
        JsonObject holder = node.getAsJsonObject(field);
        return holder == null || !holder.has("value") ? "" : holder.get("value").getAsString();
    }

    private static int level(JsonObject node) {
        if (node.has("properties")) {
            for (JsonElement property : node.getAsJsonArray("properties")) {
                JsonObject p = property.getAsJsonObject();
                if ("level".equals(p.get("name").getAsString())) {
                    return p.getAsJsonObject("value").get("value").getAsInt();
                }
            }
        }
        return 0;
    }
}

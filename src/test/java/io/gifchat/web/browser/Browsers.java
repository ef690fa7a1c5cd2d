package io.gifchat.web.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Real-browser harness: ONE Playwright driver and ONE headless Debian Chromium per test class (launching is the slow
 * part), and a fresh, isolated {@link BrowserContext} per "person" (own cookies, own storage).
 *
 * <pre>{@code
 * @SpringBootTest(webEnvironment = RANDOM_PORT)
 * class SomeBrowserTest {
 *     @RegisterExtension
 *     static final Browsers browsers = new Browsers();
 *
 *     @Test
 *     void works() {
 *         Page page = browsers.newContext("alice").newPage();
 *         page.navigate("/");                       // base URL = the Spring Boot test server
 *         assertThat(page.locator(".nickname").first()).not().isEmpty();
 *         browsers.assertNoErrors();                // console errors, page errors, CSP violations
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Chromium is {@code /usr/bin/chromium} (override with {@code -Dgifchat.browser.chromium=PATH}). Playwright never
 *       downloads a browser: {@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1} is given to its driver.</li>
 *   <li>No Chromium: the class is disabled (skipped, with the reason, before Spring starts), except under
 *       {@code CI=true}, where it fails ({@code .ci/run} installs chromium).</li>
 *   <li>Contexts created in a test are closed after it; the browser and driver after the class.</li>
 *   <li>Default timeouts: 10 s for actions, navigations and {@code PlaywrightAssertions}.</li>
 *   <li>When a test fails, every open page is saved to {@code target/browser-failures/<test>-<n>.png} and every
 *       console message of the test is printed to the test output.</li>
 *   <li>In a {@code @SpringBootTest} with a real port, new contexts get the server as base URL.</li>
 * </ul>
 *
 * Not thread-safe, like Playwright itself: tests of one class must run one at a time (the default).
 */
public final class Browsers implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterTestExecutionCallback, AfterEachCallback {

    public static final String CHROMIUM_PROPERTY = "gifchat.browser.chromium";
    public static final Path DEFAULT_CHROMIUM = Path.of("/usr/bin/chromium");
    public static final double DEFAULT_TIMEOUT_MS = 10_000;

    static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic");

    private static final Path FAILURES = Path.of("target", "browser-failures");

    private Playwright playwright;
    private Browser browser;
    private Class<?> owner;
    private String baseUrl;

    /** Contexts of the running test, by label, and what their pages said. */
    private final Map<BrowserContext, String> contexts = new LinkedHashMap<>();
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    // ---- for tests ----

    /** A new person: a fresh context with its own cookies, the test server as base URL, default timeouts. */
    public BrowserContext newContext(String label) {
        return newContext(label, new Browser.NewContextOptions());
    }

    /** As {@link #newContext(String)} with options, e.g. {@code setViewportSize(390, 844).setIsMobile(true)}. */
    public BrowserContext newContext(String label, Browser.NewContextOptions options) {
        if (browser == null) {
            throw new IllegalStateException("no browser: register Browsers with @RegisterExtension on a static field");
        }
        if (options.baseURL == null && baseUrl != null) {
            options.setBaseURL(baseUrl);
        }
        BrowserContext context = browser.newContext(options);
        context.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
        context.setDefaultNavigationTimeout(DEFAULT_TIMEOUT_MS);
        contexts.put(context, label);
        context.onPage(page -> watch(label, page));
        return context;
    }

    /** The base URL new contexts get (the Spring Boot test server), or null outside a RANDOM/DEFINED_PORT test. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Console errors, uncaught page errors and crashes seen in this test so far (CSP violations are console errors). */
    public List<String> errors() {
        flushEvents();
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** Every console message of this test so far, as {@code [label] type: text (location)}. */
    public List<String> console() {
        flushEvents();
        synchronized (console) {
            return List.copyOf(console);
        }
    }

    public void assertNoErrors() {
        List<String> seen = errors();
        if (!seen.isEmpty()) {
            Assertions.fail("the browser reported " + seen.size() + " error(s):\n  " + String.join("\n  ", seen));
        }
    }

    /** The shared browser, for what the helpers above do not cover. */
    public Browser browser() {
        return browser;
    }

    // ---- lifecycle ----

    /**
     * No Chromium and not on CI: the whole class is disabled before Spring starts (reported as skipped, with the
     * reason). On CI the class runs and {@link #beforeAll} fails.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Path chromium = chromium();
        if (browser != null || Files.isExecutable(chromium) || onCi()) {
            return ConditionEvaluationResult.enabled("Chromium at " + chromium);
        }
        String why = "browser tests skipped: " + missing(chromium) + ". Under CI=true this is a failure.";
        if (context.getTestMethod().isEmpty()) {
            System.err.println("[browser] " + context.getDisplayName() + ": " + why);
        }
        return ConditionEvaluationResult.disabled(why);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (browser != null) {
            return; // a @Nested class inherits the outer class's browser
        }
        Path chromium = chromium();
        if (!Files.isExecutable(chromium)) {
            // Only reachable under CI=true (or when the browser vanished since the condition was evaluated).
            Assertions.fail((onCi() ? "CI=true: browser tests must run, but there is " : "there is ")
                    + missing(chromium) + ". .ci/run installs it.");
        }
        Playwright.CreateOptions driver = new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
        playwright = Playwright.create(driver);
        try {
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(chromium)
                    .setHeadless(true)
                    .setArgs(CHROMIUM_ARGS)
                    .setTimeout(60_000));
        } catch (RuntimeException e) {
            playwright.close();
            playwright = null;
            throw e;
        }
        PlaywrightAssertions.setDefaultAssertionTimeout(DEFAULT_TIMEOUT_MS);
        owner = context.getRequiredTestClass();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        contexts.clear();
        console.clear();
        errors.clear();
        baseUrl = springServerUrl(context).orElse(null);
    }

    /** Right after the test method, before any @AfterEach changes what the pages show. */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        String test = testName(context);
        int n = 0;
        for (Map.Entry<BrowserContext, String> entry : new ArrayList<>(contexts.entrySet())) {
            for (Page page : entry.getKey().pages()) {
                n++;
                Path file = FAILURES.resolve(test + "-" + n + ".png");
                try {
                    Files.createDirectories(FAILURES);
                    page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true).setTimeout(5_000));
                    System.out.println("[browser] " + test + ": [" + entry.getValue() + "] " + page.url()
                            + " -> " + file.toAbsolutePath());
                } catch (RuntimeException | IOException e) {
                    System.out.println("[browser] " + test + ": no screenshot of [" + entry.getValue() + "] "
                            + page.url() + ": " + e.getMessage());
                }
            }
        }
        List<String> lines;
        synchronized (console) {
            lines = List.copyOf(console);
        }
        List<String> errs;
        synchronized (errors) {
            errs = List.copyOf(errors);
        }
        System.out.println("[browser] " + test + ": " + lines.size() + " console message(s), " + errs.size()
                + " error(s)");
        lines.forEach(line -> System.out.println("[browser console] " + line));
        errs.stream().filter(e -> !lines.contains(e)).forEach(e -> System.out.println("[browser error] " + e));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (BrowserContext browserContext : contexts.keySet()) {
            try {
                browserContext.close();
            } catch (RuntimeException ignored) {
                // already closed by the test or gone with a crash
            }
        }
        contexts.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (owner != context.getRequiredTestClass()) {
            return;
        }
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            browser = null;
            owner = null;
            if (playwright != null) {
                playwright.close();
                playwright = null;
            }
        }
    }

    // ---- internals ----

    private static Path chromium() {
        return Path.of(System.getProperty(CHROMIUM_PROPERTY, DEFAULT_CHROMIUM.toString()));
    }

    private static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static String missing(Path chromium) {
        return "no Chromium at " + chromium + " (apt-get install chromium, or -D" + CHROMIUM_PROPERTY + "=PATH)";
    }

    private void watch(String label, Page page) {
        page.onConsoleMessage(message -> {
            String line = "[" + label + "] " + message.type() + ": " + message.text()
                    + (message.location() == null || message.location().isBlank() ? "" : " (" + message.location() + ")");
            console.add(line);
            if ("error".equals(message.type())) {
                errors.add(line);
            }
        });
        page.onPageError(error -> errors.add("[" + label + "] page error: " + error));
        page.onCrash(crashed -> errors.add("[" + label + "] page crashed: " + crashed.url()));
    }

    /** Playwright delivers events while the test calls into it: one round trip per page delivers what is pending. */
    private void flushEvents() {
        for (BrowserContext context : new ArrayList<>(contexts.keySet())) {
            try {
                for (Page page : context.pages()) {
                    if (!page.isClosed()) {
                        page.evaluate("0");
                    }
                }
            } catch (RuntimeException ignored) {
                // closed meanwhile: nothing more to deliver
            }
        }
    }

    private static Optional<String> springServerUrl(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        boolean spring = AnnotationSupport.findRepeatableAnnotations(testClass, ExtendWith.class).stream()
                .anyMatch(extendWith -> List.of(extendWith.value()).contains(SpringExtension.class));
        if (!spring) {
            return Optional.empty();
        }
        String port = SpringExtension.getApplicationContext(context).getEnvironment().getProperty("local.server.port");
        return Optional.ofNullable(port).map(p -> "http://localhost:" + p);
    }

    private static String testName(ExtensionContext context) {
        String method = context.getTestMethod().map(m -> m.getName()).orElse("test");
        String display = context.getDisplayName();
        String name = context.getRequiredTestClass().getSimpleName() + "." + method
                + (display.startsWith(method + "(") ? "" : "[" + display + "]");
        return name.replaceAll("[^A-Za-z0-9._\\[\\]-]", "_");
    }
}

package io.gifchat.web.browser;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/** The home page in a real Chromium: every visitor gets an own colored nickname that sticks to the browser. */
@SpringBootTest(webEnvironment = RANDOM_PORT)
class HomePageBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    private static final Pattern RGB = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)(?:, ([\\d.]+))?\\)");
    /** --ink in app.css: what a nickname would be without its own color. */
    private static final String INK = "rgb(29, 32, 51)";
    private static final String BLACK = "rgb(0, 0, 0)";

    record Nickname(String name, String color) {
    }

    @Test
    void everyVisitorHasTheirOwnColoredNicknameThatSurvivesAReload() {
        Page alice = open(browsers.newContext("alice"));
        Page bob = open(browsers.newContext("bob"));

        Nickname aliceName = nickname(alice);
        Nickname bobName = nickname(bob);
        // 48 × 48 × 100 nicknames: a collision is a 1 in 230,400 chance.
        assertThat(aliceName.name()).as("two people, two nicknames").isNotEqualTo(bobName.name());

        alice.reload();
        assertThat(nickname(alice)).as("a reload keeps the nickname and color").isEqualTo(aliceName);
        Page aliceAgain = open(alice.context());
        assertThat(nickname(aliceAgain)).as("another tab of the same browser, same person").isEqualTo(aliceName);
        assertThat(nickname(bob)).as("bob is still bob").isEqualTo(bobName);

        browsers.assertNoErrors();
    }

    @Test
    void rendersOnAPhone() {
        BrowserContext phone = browsers.newContext("phone", new Browser.NewContextOptions()
                .setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true));
        Page page = open(phone);
        nickname(page);
        assertThat(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
                .as("nothing wider than the phone").isEqualTo(true);
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "home-phone.png"))
                .setFullPage(true));
        browsers.assertNoErrors();
    }

    private static Page open(BrowserContext context) {
        Page page = context.newPage();
        Response response = page.navigate("/");
        assertThat(response.url()).as("GET / is public: no redirect (e.g. to a login page)")
                .isEqualTo(browsers.baseUrl() + "/");
        assertThat(response.status()).as("GET / status").isEqualTo(200);
        return page;
    }

    /**
     * The visitor's own nickname (in the top bar): non-empty, in its own color (not black, not the page's ink, and the
     * readable shade of the identity's color when the page carries it as {@code data-color}, beside a swatch of the
     * color itself), and any other copy of it on the page agrees.
     */
    private static Nickname nickname(Page page) {
        Locator mine = page.locator(".me .nickname");
        assertThat(mine).isVisible();
        // The color may be applied by script after load: wait for it rather than read too early.
        assertThat(mine).not().hasCSS("color", INK);
        assertThat(mine).not().hasCSS("color", BLACK);
        Nickname me = read(mine);
        assertThat(me.name()).as("nickname text").isNotBlank();
        Matcher rgb = RGB.matcher(me.color());
        assertThat(rgb.matches()).as("computed color %s", me.color()).isTrue();
        assertThat(rgb.group(4) == null || Double.parseDouble(rgb.group(4)) > 0).as("not transparent").isTrue();
        String declared = mine.getAttribute("data-color");
        if (declared != null) {
            // The text is the identity's color, or the nearest shade of it that reads on its background; the
            // swatch beside it is exactly the identity's color (NicknameContrastBrowserTest checks every shade).
            String shade = (String) mine.evaluate("""
                    async (el) => {
                      const { readable, backgroundOf } = await import('/js/common/colors.js');
                      return readable(el.dataset.color, backgroundOf(el));
                    }""");
            assertThat(me.color()).as("computed color is the readable shade of the identity's color %s", declared)
                    .isEqualTo(rgb(shade));
            assertThat(page.locator(".me .swatch").evaluate("e => getComputedStyle(e).backgroundColor"))
                    .as("the swatch shows the identity's color itself").isEqualTo(rgb(declared));
        }
        List<Nickname> copies = page.locator(".nickname").all().stream().map(HomePageBrowserTest::read)
                .filter(n -> n.name().equals(me.name())).toList();
        assertThat(copies).as("every copy of my nickname on the page has my color").allMatch(me::equals);
        return me;
    }

    private static Nickname read(Locator nickname) {
        return new Nickname(nickname.innerText().strip(), (String) nickname.evaluate("e => getComputedStyle(e).color"));
    }

    private static String rgb(String hex) {
        int value = Integer.parseInt(hex.substring(1), 16);
        return "rgb(" + (value >> 16) + ", " + ((value >> 8) & 0xff) + ", " + (value & 0xff) + ")";
    }
}

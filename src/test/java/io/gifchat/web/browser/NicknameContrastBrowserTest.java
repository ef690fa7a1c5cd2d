package io.gifchat.web.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.microsoft.playwright.Page;
import io.gifchat.identity.ColorHash;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/**
 * Nicknames are readable whatever color color-hash gave their identity: rendered by the page's own person chip on
 * the page's backgrounds, the text reaches 4.5:1 and the swatch keeps the exact color.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT)
class NicknameContrastBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Test
    void everyNicknameReachesFourAndAHalfToOneOnItsBackgroundAndTheSwatchKeepsTheExactColor() {
        List<String> colors = new ArrayList<>(List.of("#d6e06c", "#ffffff", "#e0e06c", "#6ce0d6", "#000000"));
        for (int i = 0; i < 60; i++) {
            colors.add(ColorHash.hex(UUID.randomUUID().toString()));
        }
        String room = Visitor.arrive(port).createRoom("colors", 10, null);
        Page page = browsers.newContext("painter").newPage();
        page.navigate("/room/" + room); // carries the person chip's template and the page's backgrounds

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chips = (List<Map<String, Object>>) page.evaluate("""
                async (colors) => {
                  const { person } = await import('/js/person.js');
                  const { contrast, backgroundOf } = await import('/js/common/colors.js');
                  const rgb = (css) => css.match(/\\d+/g).slice(0, 3).map(Number);
                  const places = [document.getElementById('messages'), document.getElementById('participants'),
                                  document.querySelector('header') || document.body];
                  const out = [];
                  colors.forEach((color, i) => {
                    const chip = person({ name: 'Person ' + i, color });
                    places[i % places.length].appendChild(chip);
                    const name = chip.querySelector('.nickname');
                    const swatch = chip.querySelector('.swatch');
                    out.push({ color,
                               ratio: contrast(rgb(getComputedStyle(name).color), backgroundOf(name)),
                               swatch: getComputedStyle(swatch).backgroundColor });
                  });
                  return out;
                }""", colors);

        assertThat(chips).hasSize(colors.size());
        for (Map<String, Object> chip : chips) {
            String color = (String) chip.get("color");
            assertThat(((Number) chip.get("ratio")).doubleValue()).as("contrast of %s's name", color)
                    .isGreaterThanOrEqualTo(4.5);
            assertThat(chip.get("swatch")).as("swatch of %s", color).isEqualTo(css(color));
        }
        browsers.assertNoErrors();
    }

    static String css(String hex) {
        int r = Integer.parseInt(hex.substring(1, 3), 16);
        int g = Integer.parseInt(hex.substring(3, 5), 16);
        int b = Integer.parseInt(hex.substring(5, 7), 16);
        return "rgb(" + r + ", " + g + ", " + b + ")";
    }
}

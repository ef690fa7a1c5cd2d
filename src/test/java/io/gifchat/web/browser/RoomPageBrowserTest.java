package io.gifchat.web.browser;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.FilePayload;
import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/**
 * The room page as people use it (issue 12), in real Chromium windows: on a phone and on a desktop, when things go
 * wrong (a refused upload, a kick, a deleted room), and the small things a chat is expected to do. A room page comes
 * with its last 5 lines here, so older pages are quick to reach.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = {"gifchat.rooms.empty-grace=0s", "gifchat.rooms.history=5"})
class RoomPageBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    static final Browser.NewContextOptions PHONE = new Browser.NewContextOptions()
            .setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true);
    static final String SIXTY = "A title of sixty characters, far too long for a phone screen";

    @LocalServerPort
    int port;

    /** Participants that are not browsers (cheaper than a Chromium page each): a session and a room subscription. */
    final List<RawStompClient> others = new CopyOnWriteArrayList<>();

    @AfterEach
    void leave() {
        others.forEach(RawStompClient::close);
    }

    // ---- people and rooms ----

    static Page person(String label) {
        return person(label, new Browser.NewContextOptions());
    }

    static Page person(String label, Browser.NewContextOptions options) {
        Page page = browsers.newContext(label, options).newPage();
        page.navigate("/");
        assertThat(page.locator("#live")).hasText("live");
        return page;
    }

    static String nickname(Page page) {
        return page.locator(".me .nickname").textContent();
    }

    static String createRoom(Page page, String title) {
        page.locator("#room-form input[name=title]").fill(title);
        page.locator("#room-form button[type=submit]").click();
        page.waitForURL("**/room/*");
        assertThat(page.locator("#status")).hasText("online");
        return page.url().substring(page.url().lastIndexOf('/') + 1);
    }

    static void enter(Page page, String roomId) {
        page.navigate("/room/" + roomId);
        assertThat(page.locator("#status")).hasText("online");
    }

    /** Alice creates a room and Bob enters it; each sees the other in the list. */
    static List<Page> aliceAndBob(String title) {
        Page alice = person("alice");
        String roomId = createRoom(alice, title);
        Page bob = person("bob");
        enter(bob, roomId);
        assertThat(alice.locator("#participants li")).hasCount(2);
        assertThat(bob.locator("#participants li")).hasCount(2);
        return List.of(alice, bob);
    }

    static String roomId(Page page) {
        return page.url().substring(page.url().lastIndexOf('/') + 1);
    }

    static void send(Page page, String text) {
        page.locator("#message").fill(text);
        page.locator("#send").click();
    }

    static Locator chat(Page page, String text) {
        return page.locator("#messages li.chat:not(.pending) .text", new Page.LocatorOptions().setHasText(text));
    }

    /** One more participant, over STOMP: it holds a place and shows in the list like anyone. */
    void otherParticipant(String roomId) {
        Visitor visitor = Visitor.arrive(port);
        RawStompClient client = RawStompClient.connected(port, visitor.cookieHeader());
        others.add(client);
        client.send("SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        for (int i = 0; i < 50; i++) {
            String frame = client.next();
            assertThat(frame).as("the participant's RECEIPT").isNotNull().doesNotStartWith("ERROR");
            if (frame.startsWith("RECEIPT")) {
                return;
            }
        }
        throw new AssertionError("no RECEIPT for the participant");
    }

    /** A number a script computed (Playwright hands integral values back as Integer). */
    static double number(Locator locator, String script) {
        return ((Number) locator.evaluate(script)).doubleValue();
    }

    static double height(Locator locator) {
        return locator.boundingBox().height;
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name)));
    }

    /** Uncaught script errors and crashes (a refused request also logs a console error: that one is expected). */
    static void assertNoPageErrors() {
        assertThat(browsers.errors()).noneMatch(e -> e.contains("page error") || e.contains("page crashed"));
    }

    // ---- 1. layout ----

    @Test
    void onAPhoneTheChatKeepsTheScreenAndTheParticipantsFoldBehindTheirCount() {
        Page alice = person("alice-phone", PHONE);
        String roomId = createRoom(alice, SIXTY);
        for (int i = 0; i < 7; i++) {
            otherParticipant(roomId);
        }
        assertThat(alice.locator("#participants-toggle-count")).hasText("8/10");

        assertThat(alice.locator("#participants")).isHidden();
        assertThat(height(alice.locator("#messages"))).as("the message list keeps at least half the screen")
                .isGreaterThanOrEqualTo(844 / 2.0);
        Locator title = alice.locator(".chat-head h1");
        double line = number(title, "h => parseFloat(getComputedStyle(h).lineHeight) || h.firstElementChild.getBoundingClientRect().height");
        assertThat(height(title)).as("the title is one line").isLessThan(line * 1.5);
        assertThat((Boolean) title.evaluate("h => h.scrollWidth > h.clientWidth")).as("ellipsized, not cut off")
                .isTrue();
        assertThat(title).hasAttribute("title", SIXTY);
        assertThat(alice.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
                .as("nothing wider than the phone").isEqualTo(true);
        screenshot(alice, "room-phone.png");

        Locator toggle = alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("In this room: 8/10"));
        assertThat(toggle).hasAttribute("aria-expanded", "false");
        toggle.click();
        assertThat(toggle).hasAttribute("aria-expanded", "true");
        assertThat(alice.locator("#participants li")).hasCount(8);
        for (Locator li : alice.locator("#participants li").all()) {
            assertOneLine(li);
        }
        assertThat(alice.locator("#participants .kick:visible")).hasCount(7);
        assertThat(height(alice.locator("#messages"))).as("an open list leaves the chat room too")
                .isGreaterThan(844 / 4.0);
        screenshot(alice, "room-phone-participants.png");
        toggle.click();
        assertThat(alice.locator("#participants")).isHidden();
        assertThat(toggle).hasAttribute("aria-expanded", "false");
        browsers.assertNoErrors();
    }

    @Test
    void onADesktopEveryParticipantTakesOneLineWithItsButtons() {
        Page alice = person("alice");
        String roomId = createRoom(alice, SIXTY);
        for (int i = 0; i < 7; i++) {
            otherParticipant(roomId);
        }
        assertThat(alice.locator("#participant-count")).hasText("8");
        assertThat(alice.locator("#participants-toggle")).isHidden();
        assertThat(alice.locator("#participants li")).hasCount(8);
        for (Locator li : alice.locator("#participants li").all()) {
            assertOneLine(li);
        }
        assertThat(height(alice.locator("#messages"))).isGreaterThan(720 / 2.0);
        screenshot(alice, "room-desktop.png");
        browsers.assertNoErrors();
    }

    /** A participant's name, badges and buttons side by side: no button on a line of its own. */
    static void assertOneLine(Locator li) {
        BoundingBox name = li.locator(".person").boundingBox();
        for (Locator part : li.locator(".badge:visible, button:visible").all()) {
            BoundingBox box = part.boundingBox();
            double middle = box.y + box.height / 2;
            assertThat(middle).as("%s beside the name", part.textContent())
                    .isBetween(name.y - 2, name.y + name.height + 2);
        }
        assertThat(li.boundingBox().height).as("one line").isLessThan(44);
    }

    // ---- 2. feedback ----

    @Test
    void aRefusedUploadShowsTheServersReasonAndTheNextUploadClearsIt() {
        Page alice = person("alice");
        createRoom(alice, "Uploads");
        Locator box = alice.locator("#upload");
        Locator status = alice.locator("#upload-status");
        Locator button = alice.locator("#gif-send");

        alice.locator("#gif-input").setInputFiles(new FilePayload("fake.gif", "image/gif",
                "this is not a gif".getBytes(StandardCharsets.UTF_8)));
        button.click();
        assertThat(box).hasAttribute("data-state", "failed");
        assertThat(status).hasText("Not a GIF file.");
        assertThat(status).hasCSS("color", "rgb(161, 38, 38)");
        assertThat(alice.locator("#upload-progress")).isHidden();
        assertThat(button).isEnabled();

        // A real GIF, held on its way: the button waits with it; then the server is unreachable.
        AtomicReference<Route> held = new AtomicReference<>();
        alice.route("**/room/*/gif", held::set);
        alice.locator("#gif-input").setInputFiles(new FilePayload("real.gif", "image/gif", TestGifs.animated(64, 2)));
        button.click();
        assertThat(button).isDisabled();
        assertThat(box).hasAttribute("data-state", "uploading");
        assertThat(status).not().hasText("Not a GIF file.");
        alice.waitForCondition(() -> held.get() != null);
        held.get().abort();
        assertThat(status).hasText("The server could not be reached.");
        assertThat(box).hasAttribute("data-state", "failed");
        assertThat(button).isEnabled();
        screenshot(alice, "room-upload-failed.png");
        alice.unroute("**/room/*/gif");

        button.click();
        assertThat(status).hasText("sent");
        assertThat(box).hasAttribute("data-state", "sent");
        assertThat(alice.locator("#messages li.gif img.gif")).hasCount(1);
        assertNoPageErrors();
    }

    // ---- 3. after a kick or a deletion ----

    @Test
    void aRemovedParticipantsPageGoesReadOnlyWithTheReasonAndTheWayBack() {
        List<Page> pages = aliceAndBob("Strict room");
        Page alice = pages.get(0);
        Page bob = pages.get(1);
        String bobName = nickname(bob);
        bob.locator("#message").click();

        alice.onDialog(dialog -> dialog.accept());
        alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove " + bobName)).click();

        assertThat(bob.locator("#banner")).containsText("You were removed from this room by the owner.");
        assertThat(bob.locator("#banner")).containsText("You can enter it again after");
        assertReadOnly(bob, "You are no longer in this room.");
        assertThat(bob.locator("#back-to-lobby")).isFocused();
        screenshot(bob, "room-removed.png");
        assertThat(alice.locator("#participants li")).hasCount(1);
        assertThat(alice.locator("#message")).isEnabled();

        bob.locator("#back-to-lobby").click();
        bob.waitForURL(browsers.baseUrl() + "/");
        assertThat(bob.locator("#live")).hasText("live");
        browsers.assertNoErrors();
    }

    @Test
    void aDeletedRoomsPageGoesReadOnlyForEveryoneInIt() {
        List<Page> pages = aliceAndBob("Short-lived");
        Page alice = pages.get(0);
        Page bob = pages.get(1);

        alice.onDialog(dialog -> dialog.accept());
        alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete room")).click();

        for (Page page : pages) {
            assertThat(page.locator("#banner")).hasText("This room was deleted.");
            assertReadOnly(page, "Nobody is here: the room is gone.");
            assertThat(page.locator("#delete-room")).isHidden();
        }
        browsers.assertNoErrors();
    }

    /** Nothing to send or upload (and it shows), nobody listed, why, and the way back to the lobby. */
    static void assertReadOnly(Page page, String listNote) {
        assertThat(page.locator("#status")).hasText("disconnected");
        for (String control : List.of("#message", "#send", "#gif-input", "#gif-send")) {
            assertThat(page.locator(control)).isDisabled();
        }
        assertThat(page.locator("#send")).hasCSS("opacity", "0.5");
        assertThat(page.locator("#send")).hasCSS("cursor", "not-allowed");
        assertThat(page.locator("#participants li")).hasCount(0);
        assertThat(page.locator("#participant-count")).hasText("0");
        assertThat(page.locator("#participants-over")).hasText(listNote);
        Locator back = page.locator("#back-to-lobby");
        assertThat(back).isVisible();
        assertThat(back).hasText("Back to rooms");
        assertThat(back).hasAttribute("href", "/");
    }

    // ---- 4. typing ----

    @Test
    void writingAWhisperSendsNoTypingSignal() {
        Page alice = person("alice");
        List<String> typingFrames = new CopyOnWriteArrayList<>();
        alice.onWebSocket(ws -> ws.onFrameSent(frame -> {
            String text = frame.text();
            if (text != null && text.startsWith("SEND") && text.contains("/typing")) {
                typingFrames.add(text);
            }
        }));
        String roomId = createRoom(alice, "Secrets");
        Page bob = person("bob");
        enter(bob, roomId);
        Page carol = person("carol");
        enter(carol, roomId);
        assertThat(alice.locator("#participants li")).hasCount(3);
        String aliceName = nickname(alice);

        alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Whisper to " + nickname(bob))).click();
        alice.locator("#message").pressSequentially("psst, only you should know");
        alice.locator("#message").press("Enter");

        assertThat(bob.locator("#messages li.whisper .text")).hasText("psst, only you should know");
        for (Page page : List.of(bob, carol)) {
            assertThat(page.locator("#typing")).isEmpty();
        }
        assertThat(typingFrames).as("no typing signal while writing a whisper").isEmpty();

        // The same hands writing to the room do signal: the check above could have failed.
        alice.locator("#message").pressSequentially("and now for everyone");
        assertThat(carol.locator("#typing")).hasText(aliceName + " is typing…");
        assertThat(typingFrames).isNotEmpty();
        browsers.assertNoErrors();
    }

    @Test
    void aLineFromSomebodyTypingEndsTheirTypingIndicator() {
        List<Page> pages = aliceAndBob("Quick typists");
        Page alice = pages.get(0);
        Page bob = pages.get(1);

        alice.locator("#message").pressSequentially("here it comes");
        assertThat(bob.locator("#typing")).hasText(nickname(alice) + " is typing…");
        alice.locator("#message").press("Enter");

        assertThat(chat(bob, "here it comes")).isVisible();
        // The signal alone would show for 3 s after the last key: the line ends it at once.
        assertThat(bob.locator("#typing")).isEmpty(new LocatorAssertions.IsEmptyOptions().setTimeout(1_000));
        browsers.assertNoErrors();
    }

    // ---- 5. chat basics ----

    @Test
    void aNewLineBelowAReaderWhoScrolledUpShowsAMarkerThatTakesThemDown() {
        List<Page> pages = aliceAndBob("Long talk");
        Page alice = pages.get(0);
        Page bob = pages.get(1);
        String tall = IntStream.rangeClosed(1, 40).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        send(alice, tall);
        assertThat(bob.locator("#messages li.chat")).hasCount(1);
        Locator list = bob.locator("#messages");
        assertThat((Boolean) list.evaluate("m => m.scrollHeight > m.clientHeight + 200")).isTrue();
        assertThat(bob.locator("#new-messages")).isHidden();

        list.evaluate("m => { m.scrollTop = 0; }");
        send(alice, "down here");

        assertThat(chat(bob, "down here")).hasCount(1);
        Locator marker = bob.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New messages ↓"));
        assertThat(marker).isVisible();
        assertThat(number(list, "m => m.scrollTop")).as("the reader keeps their place").isZero();
        marker.click();
        assertThat(marker).isHidden();
        assertThat((Boolean) list.evaluate("m => m.scrollHeight - m.scrollTop - m.clientHeight < 2")).isTrue();

        send(alice, "seen at once");
        assertThat(chat(bob, "seen at once")).isVisible();
        assertThat(marker).isHidden();
        browsers.assertNoErrors();
    }

    /**
     * Headless Chromium shows every page, so the test hides Bob's tab the way the page sees it: document.visibilityState
     * and the visibilitychange event.
     */
    static void pretendHidden(Page page, boolean hidden) {
        page.evaluate("hidden => {"
                + " if (hidden) Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});"
                + " else delete document.visibilityState;"
                + " document.dispatchEvent(new Event('visibilitychange')); }", hidden);
    }

    @Test
    void aHiddenTabCountsNewLinesInItsTitleUntilItIsShownAgain() {
        List<Page> pages = aliceAndBob("Tabbed");
        Page alice = pages.get(0);
        Page bob = pages.get(1);
        String title = "Tabbed · gif-chat";
        assertThat(bob).hasTitle(title);

        pretendHidden(bob, true);
        for (String text : List.of("one", "two", "three")) {
            send(alice, text);
            assertThat(chat(bob, text)).hasCount(1);
        }
        assertThat(bob).hasTitle("(3) " + title);
        send(bob, "my own line is no news");
        assertThat(chat(bob, "my own line is no news")).hasCount(1);
        assertThat(bob).hasTitle("(3) " + title);

        pretendHidden(bob, false);
        assertThat(bob).hasTitle(title);
        send(alice, "four");
        assertThat(chat(bob, "four")).hasCount(1);
        assertThat(bob).hasTitle(title);
        browsers.assertNoErrors();
    }

    @Test
    void webAddressesInMessagesBecomeLinksThatCannotRunScript() {
        List<Page> pages = aliceAndBob("Links");
        Page alice = pages.get(0);
        Page bob = pages.get(1);
        String text = "see https://example.com/a?b=1&c=2, or (http://example.org/wiki/Foo_(bar)). "
                + "Not javascript:alert(1), data:text/html,hi, ftp://example.net/x or xhttps://example.com";
        send(alice, text);

        Locator line = chat(bob, "see https://");
        assertThat(line).hasText(text);
        Locator links = line.locator("a");
        assertThat(links).hasCount(2);
        assertThat(links.nth(0)).hasText("https://example.com/a?b=1&c=2");
        assertThat(links.nth(0)).hasAttribute("href", "https://example.com/a?b=1&c=2");
        assertThat(links.nth(1)).hasText("http://example.org/wiki/Foo_(bar)");
        assertThat(links.nth(1)).hasAttribute("href", "http://example.org/wiki/Foo_(bar)");
        for (Locator link : links.all()) {
            assertThat(link).hasAttribute("rel", "noopener noreferrer nofollow");
            assertThat(link).hasAttribute("target", "_blank");
        }
        assertThat(bob.locator("#messages a:not([href^='http://']):not([href^='https://'])")).hasCount(0);
        browsers.assertNoErrors();
    }

    @Test
    void shiftEnterStartsANewLineAndEnterSends() {
        List<Page> pages = aliceAndBob("Poetry");
        Page alice = pages.get(0);
        Page bob = pages.get(1);
        Locator field = alice.locator("#message");

        field.click();
        alice.keyboard().type("roses are red");
        alice.keyboard().press("Shift+Enter");
        alice.keyboard().type("violets are blue");
        assertThat(field).hasValue("roses are red\nviolets are blue");
        assertThat(alice.locator("#messages li.chat")).hasCount(0);
        alice.keyboard().press("Enter");

        Locator poem = chat(bob, "roses are red");
        assertThat(poem).isVisible();
        assertThat(field).hasValue("");
        assertThat(poem).hasCSS("white-space", "pre-wrap");
        assertThat((String) poem.evaluate("t => t.innerText")).isEqualTo("roses are red\nviolets are blue");
        double lineHeight = number(poem, "t => parseFloat(getComputedStyle(t).fontSize) * 1.1");
        assertThat(height(poem)).as("shown on two lines").isGreaterThan(2 * lineHeight);
        browsers.assertNoErrors();
    }

    @Test
    void consecutiveLinesOfOneSenderShowUnderOneName() {
        List<Page> pages = aliceAndBob("Groups");
        Page alice = pages.get(0);
        Page bob = pages.get(1);
        List<String> order = List.of("alice 1", "alice 2", "alice 3", "bob 1", "alice 4");
        for (String text : order) {
            Page from = text.startsWith("alice") ? alice : bob;
            send(from, text);
            assertThat(chat(bob, text)).hasCount(1);
            assertThat(chat(alice, text)).hasCount(1);
        }

        for (Page page : pages) {
            List<Boolean> continued = page.locator("#messages li.chat").all().stream()
                    .map(li -> (Boolean) li.evaluate("li => li.classList.contains('continued')")).toList();
            assertThat(continued).containsExactly(false, true, true, false, false);
            Locator second = page.locator("#messages li.chat").nth(1);
            assertThat(second.locator(".person").boundingBox().width).as("its name is not shown again")
                    .isLessThanOrEqualTo(1);
            assertThat(second).containsText(nickname(alice)); // but still read out
        }

        // The group ends after a pause, and at any line that is not talk (the real renderer, on lines with times).
        Object grouped = bob.evaluate("async () => {"
                + " const { renderLine, regroup } = await import('/js/room/lines.js');"
                + " const ann = {id: 'ann', name: 'Ann', color: '#336699'};"
                + " const at = (minute) => new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString();"
                + " const lines = ["
                + "   {type: 'chat', seq: 1, user: ann, chat: 'a', createdAt: at(0)},"
                + "   {type: 'gif', seq: 2, user: ann, gif: '/favicon.svg', createdAt: at(4)},"
                + "   {type: 'chat', seq: 3, user: ann, chat: 'after a pause', createdAt: at(10)},"
                + "   {type: 'system', seq: 4, user: ann, chat: 'Ann left', createdAt: at(10)},"
                + "   {type: 'chat', seq: 5, user: ann, chat: 'back', createdAt: at(11)}];"
                + " const list = document.createElement('ol');"
                + " lines.forEach((line) => list.append(renderLine(line, 'me')));"
                + " regroup(list);"
                + " return [...list.children].map((li) => li.classList.contains('continued')); }");
        assertThat(grouped).isEqualTo(List.of(false, true, false, false, false));
        browsers.assertNoErrors();
    }

    @Test
    void escapeLeavesWhisperModeAndSendingAWhisperEndsIt() {
        List<Page> pages = aliceAndBob("Whispers");
        Page alice = pages.get(0);
        Page bob = pages.get(1);
        String bobName = nickname(bob);
        Locator whisperTo = alice.locator("#whisper-to");
        Locator field = alice.locator("#message");
        Locator whisperButton = alice.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Whisper to " + bobName));

        whisperButton.click();
        assertThat(whisperTo).isVisible();
        assertThat(field).hasAttribute("placeholder", "Whisper to " + bobName + "…");
        assertThat(field).isFocused();
        field.press("Escape");
        assertThat(whisperTo).isHidden();
        assertThat(field).hasAttribute("placeholder", "Say something…");

        whisperButton.click();
        field.fill("only for you");
        field.press("Enter");
        assertThat(bob.locator("#messages li.whisper .text")).hasText("only for you");
        assertThat(whisperTo).isHidden();
        assertThat(field).hasAttribute("placeholder", "Say something…");

        field.fill("for everyone");
        field.press("Enter");
        assertThat(chat(bob, "for everyone")).isVisible();
        assertThat(bob.locator("#messages li.whisper")).hasCount(1);
        browsers.assertNoErrors();
    }

    @Test
    void loadOlderDisappearsOnceTheRoomsFirstLineIsShown() {
        Page alice = person("alice");
        String roomId = createRoom(alice, "Old stories");
        assertThat(alice.locator("#load-older")).isHidden(); // one line: nothing older
        for (int i = 1; i <= 9; i++) {
            send(alice, "story " + i);
            assertThat(chat(alice, "story " + i)).hasCount(1);
        }
        List<Long> stored = shownSeqs(alice);
        assertThat(stored).startsWith(1L).hasSize(10);

        Page bob = person("bob");
        enter(bob, roomId);
        assertThat(bob.locator("#messages li[data-seq]")).hasCount(6); // the page's last 5 and bob's own join
        Locator older = bob.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Load older messages"));
        assertThat(older).isVisible();
        older.click();

        // A full page of 5 came back, down to seq 1: nothing is older, so the button goes without another try.
        assertThat(bob.locator("#messages li[data-seq]")).hasCount(11);
        assertThat(older).isHidden();
        List<Long> expected = new ArrayList<>(stored);
        expected.add(stored.get(stored.size() - 1) + 1);
        assertThat(shownSeqs(bob)).isEqualTo(expected);
        browsers.assertNoErrors();
    }

    static List<Long> shownSeqs(Page page) {
        return page.locator("#messages li[data-seq]").all().stream()
                .map(li -> Long.valueOf(li.getAttribute("data-seq"))).toList();
    }

    // ---- 6. accessibility ----

    @Test
    void theRoomPageNamesItsControlsAndReadsItsMessagesAsALog() {
        List<Page> pages = aliceAndBob("Named things");
        Page alice = pages.get(0);
        Page bob = pages.get(1);
        String bobName = nickname(bob);

        assertThat(alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Whisper to " + bobName)
                .setExact(true))).isVisible();
        assertThat(alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove " + bobName)
                .setExact(true))).isVisible();
        assertThat(bob.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove " + nickname(alice))))
                .hasCount(0);
        assertThat(alice.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to rooms")
                .setExact(true))).isVisible();
        assertThat(alice.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"))).isVisible();
        assertThat(alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop whispering")))
                .isHidden();

        // The server renders the same names into the list the page comes with (the buttons wait for the script).
        String html = bob.request().get("/room/" + roomId(bob)).text();
        assertThat(html).contains("aria-label=\"Whisper to " + nickname(alice) + "\"")
                .contains("aria-label=\"Remove " + nickname(alice) + "\"")
                .containsPattern("class=\"whisper small hidden\"\\s*>whisper</button>"); // the template's, unnamed

        send(bob, "read me out");
        Locator log = alice.getByRole(AriaRole.LOG, new Page.GetByRoleOptions().setName("Messages"));
        assertThat(log).containsText("read me out");
        assertThat(log.locator("ol#messages > li")).not().hasCount(0);
        browsers.assertNoErrors();
    }

    /**
     * WCAG AA's 4.5:1 for every visible text of the page, against the first opaque background behind it, with any
     * transparency of the text or its ancestors blended in. Disabled controls are exempt (as WCAG has them).
     * Nicknames included: js/common/colors.js judges each shade as it will be drawn (rounded to a hex color).
     */
    static List<String> lowContrastTexts(Page page) {
        @SuppressWarnings("unchecked")
        List<String> failures = (List<String>) page.evaluate("async () => {"
                + " const { contrast, backgroundOf } = await import('/js/common/colors.js');"
                + " const rgba = (v) => { const p = /rgba?\\(([^)]+)\\)/.exec(v)[1].split(/[ ,/]+/).filter(Boolean).map(Number);"
                + "   return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };"
                + " const failures = []; const seen = new Set();"
                + " const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
                + " for (let node = walker.nextNode(); node; node = walker.nextNode()) {"
                + "   const el = node.parentElement;"
                + "   if (!node.textContent.trim() || seen.has(el)) continue;"
                + "   seen.add(el);"
                + "   if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;"
                + "   const box = el.getBoundingClientRect();"
                + "   if (box.width <= 1 || box.height <= 1 || el.closest(':disabled')) continue;"
                + "   const [r, g, b, a] = rgba(getComputedStyle(el).color);"
                + "   let opacity = a;"
                + "   for (let up = el; up; up = up.parentElement) opacity *= Number(getComputedStyle(up).opacity);"
                + "   const bg = backgroundOf(el);"
                + "   const fg = [r, g, b].map((c, i) => c * opacity + bg[i] * (1 - opacity));"
                + "   const ratio = contrast(fg, bg);"
                + "   if (ratio < 4.5) failures.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' \"'"
                + "     + node.textContent.trim().slice(0, 30) + '\" ' + ratio.toFixed(3) + ':1');"
                + " }"
                + " return failures; }");
        return failures;
    }

    @Test
    void everyTextOnTheRoomPageReachesAaContrast() {
        List<Page> pages = aliceAndBob("Readable");
        Page alice = pages.get(0);
        Page bob = pages.get(1);
        alice.locator("#message").pressSequentially("typing");
        assertThat(bob.locator("#typing")).not().isEmpty();
        assertThat(lowContrastTexts(bob)).as("bob, alice typing").isEmpty();
        send(alice, "a link: https://example.com/readable");
        assertThat(chat(bob, "a link")).isVisible();
        bob.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Whisper to " + nickname(alice))).click();
        bob.locator("#message").fill("a whisper with https://example.com/quiet");
        bob.locator("#message").press("Enter");
        assertThat(alice.locator("#messages li.whisper")).hasCount(1);
        assertThat(bob.locator("#messages li.whisper")).hasCount(1);
        bob.locator("#gif-input").setInputFiles(new FilePayload("fake.gif", "image/gif", new byte[] {1, 2, 3}));
        bob.locator("#gif-send").click();
        assertThat(bob.locator("#upload")).hasAttribute("data-state", "failed");
        bob.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Whisper to " + nickname(alice))).click();
        assertThat(bob.locator("#whisper-to")).isVisible();

        assertThat(lowContrastTexts(alice)).as("alice, the owner").isEmpty();
        assertThat(lowContrastTexts(bob)).as("bob, whispering, his upload refused").isEmpty();

        alice.onDialog(dialog -> dialog.accept());
        alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove " + nickname(bob))).click();
        assertThat(bob.locator("#back-to-lobby")).isVisible();
        assertThat(lowContrastTexts(bob)).as("bob, removed").isEmpty();

        Page phone = person("phone", PHONE);
        enter(phone, roomId(alice));
        phone.locator("#participants-toggle").click();
        assertThat(phone.locator("#participants li")).hasCount(2);
        assertThat(lowContrastTexts(phone)).as("on a phone, the list open").isEmpty();
        assertNoPageErrors();
    }
}

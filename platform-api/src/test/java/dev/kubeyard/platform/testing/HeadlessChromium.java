package dev.kubeyard.platform.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Cookie;
import dev.kubeyard.platform.access.TokenAuthenticationMechanism;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/** Debian's chromium, headless, driven by Playwright (no browser download): for the console's tests. */
public final class HeadlessChromium implements AutoCloseable {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    private final Playwright playwright;
    private final Browser browser;

    public HeadlessChromium() {
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run")));
    }

    public Browser browser() {
        return browser;
    }

    /**
     * A context signed in with {@code token}, as the login form leaves a browser; failed requests (4xx, 5xx, network)
     * are added to {@code failures}, except those the browser aborts itself on navigation.
     */
    public BrowserContext signedIn(URL root, String token, List<String> failures) {
        BrowserContext context = browser.newContext();
        context.addCookies(List.of(new Cookie(TokenAuthenticationMechanism.COOKIE, token).setUrl(root.toString())));
        context.onResponse(response -> {
            if (response.status() >= 400) {
                failures.add(response.status() + " " + response.url());
            }
        });
        context.onRequestFailed(request -> {
            if (!"net::ERR_ABORTED".equals(request.failure())) {
                failures.add(request.failure() + " " + request.url());
            }
        });
        return context;
    }

    public Page page(BrowserContext context) {
        Page page = context.newPage();
        page.setDefaultTimeout(10_000);
        return page;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}

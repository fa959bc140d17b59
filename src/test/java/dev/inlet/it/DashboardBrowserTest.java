package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.interledger.stream.SendMoneyResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The admin dashboard in a real browser: Debian's Chromium, headless, driven by Selenium through
 * Debian's chromedriver (both installed by {@code .ci/run}; nothing is downloaded). Signs in, pays
 * an account with Quilt's STREAM sender and watches the balance and the connection arrive on the
 * live page without a reload, cancels an invoice through its page, and saves full-page screenshots
 * under {@code target/screenshots/} at a laptop's and a phone's width.
 */
class DashboardBrowserTest extends InletPerClass {
  static final Path chromium = Path.of("/usr/bin/chromium");
  static final Path chromedriver = Path.of("/usr/bin/chromedriver");
  static final Path screenshots = Path.of("target", "screenshots");
  static final Dimension laptop = new Dimension(1366, 900);
  static final Dimension phone = new Dimension(390, 844);
  static final Duration wait = Duration.ofSeconds(20);

  private static ChromeDriver browser;
  private static MerchantClient shop;

  @BeforeAll
  static void startBrowser() throws IOException {
    assertThat(chromium)
        .as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does it)")
        .isExecutable();
    assertThat(chromedriver).as("Debian's chromium-driver").isExecutable();
    Files.createDirectories(screenshots);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(laptop);
    shop = MerchantClient.create(inlet, "cafe", "cafe-usd");
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void signsInSeesAPaymentArriveLiveAndCancelsAnInvoice() throws Exception {
    browser.manage().window().setSize(laptop);
    signIn();
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");

    browser.get(inlet.url("/admin/ui/live"));
    WebDriverWait until = new WebDriverWait(browser, wait);
    until.until(ExpectedConditions.textToBe(By.id("live-status"), "live"));
    By balance = By.cssSelector("#live-accounts tr[data-account='cafe-usd'] .balance");
    assertThat(until.until(ExpectedConditions.visibilityOfElementLocated(balance)).getText())
        .isEqualTo("0.000000000 USD");
    Object pageId = browser.executeScript("return window.inletPageId = Math.random();");

    SendMoneyResult sent =
        QuiltSender.pay(
            inlet, "$localhost:" + inlet.port + "/cafe-usd", 1_234_567_890L, 200_000_000L, wait);
    assertThat(sent.amountDelivered().longValue()).isEqualTo(1_234_567_890L);

    until.until(ExpectedConditions.textToBe(balance, "1.234567890 USD"));
    WebElement connection =
        until.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#live-connections tr.connection[data-account='cafe-usd']")));
    assertThat(connection.findElement(By.cssSelector(".received")).getText())
        .isEqualTo("1.234567890 USD");
    assertThat(connection.getText()).contains("test.sender");
    // The same page, never reloaded: the marker set before the payment is still there.
    assertThat(browser.executeScript("return window.inletPageId;")).isEqualTo(pageId);
    screenshot("live-connections");

    JsonNode invoice =
        MerchantClient.ok(
            shop.post(
                "/v1/invoices",
                "{\"account\":\"cafe-usd\",\"amount\":\"5000000000\",\"description\":\"Espresso x2\"}"));
    String id = invoice.get("id").asString();
    browser.get(inlet.url("/admin/ui/invoices?state=pending&q=" + id));
    browser.findElement(By.linkText(id)).click();
    until.until(ExpectedConditions.textToBe(By.id("invoice-state"), "pending"));
    assertThat(browser.getPageSource()).contains("5.000000000 USD").contains("Espresso x2");
    screenshot("invoice");
    browser.findElement(By.id("cancel-invoice")).click();
    until.until(ExpectedConditions.textToBe(By.tagName("h1"), "Cancel invoice " + id + "?"));
    browser.findElement(By.id("confirm")).click();
    until.until(ExpectedConditions.textToBe(By.id("invoice-state"), "cancelled"));
    assertThat(MerchantClient.ok(shop.get("/v1/invoices/" + id)).get("state").asString())
        .isEqualTo("cancelled");
    assertThat(browser.findElements(By.id("cancel-invoice"))).isEmpty();

    // A second account and an invoice left open, for the overview to show more than one of each.
    assertThat(
            inlet
                .adminPost("/admin/accounts", "{\"name\":\"tips\",\"merchant\":\"cafe\"}")
                .statusCode())
        .isEqualTo(201);
    QuiltSender.pay(inlet, "$localhost:" + inlet.port + "/tips", 250_000_000L, 100_000_000L, wait);
    MerchantClient.ok(
        shop.post(
            "/v1/invoices",
            "{\"account\":\"cafe-usd\",\"amount\":\"3500000000\",\"description\":\"Croissant\"}"));
    browser.get(inlet.url("/admin"));
    until.until(
        ExpectedConditions.textToBe(
            By.cssSelector("#accounts tr[data-account='cafe-usd'] .balance"), "1.234567890 USD"));
    List<WebElement> tiles = browser.findElements(By.cssSelector(".tile .big"));
    assertThat(tiles.get(0).getText()).isEqualTo("1.484567890 USD");
    assertThat(tiles.get(2).getText()).isEqualTo("1"); // open invoices
    screenshot("overview");

    // Signing out ends the session: the pages send the browser back to the sign-in form.
    browser.findElement(By.cssSelector("form.signout button")).click();
    until.until(d -> d.manage().getCookieNamed("inlet_admin") == null);
    browser.get(inlet.url("/admin/ui/invoices"));
    assertThat(browser.getCurrentUrl()).isEqualTo(inlet.url("/admin"));
    assertThat(browser.findElement(By.id("token")).isDisplayed()).isTrue();
  }

  @Test
  void aWrongTokenGetsOneClearMessage() {
    browser.manage().deleteAllCookies();
    browser.get(inlet.url("/admin"));
    browser.findElement(By.id("token")).sendKeys("not-the-admin-token");
    browser.findElement(By.cssSelector("button[type=submit]")).click();
    // The click starts the form's POST; the answer's page may not have loaded when it returns.
    assertThat(
            new WebDriverWait(browser, wait)
                .until(
                    ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")))
                .getText())
        .isEqualTo("Wrong admin token.");
    assertThat(browser.manage().getCookieNamed("inlet_admin")).isNull();
  }

  private static void signIn() {
    browser.manage().deleteAllCookies();
    browser.get(inlet.url("/admin"));
    browser.findElement(By.id("token")).sendKeys(inlet.admin);
    browser.findElement(By.cssSelector("button[type=submit]")).click();
    // The form is at /admin too: wait for the session cookie, not for the URL.
    new WebDriverWait(browser, wait).until(d -> d.manage().getCookieNamed("inlet_admin") != null);
    new WebDriverWait(browser, wait).until(ExpectedConditions.urlToBe(inlet.url("/admin")));
    assertThat(browser.manage().getCookieNamed("inlet_admin").isHttpOnly()).isTrue();
  }

  /**
   * Full-page screenshots of the current page at a laptop's and a phone's width: the viewport is
   * set to the page's whole height (Chrome DevTools' device metrics override), then captured.
   */
  private static void screenshot(String name) throws IOException {
    for (var size : List.of(laptop, phone)) {
      boolean mobile = size == phone;
      metrics(size.width, size.height, mobile);
      long height =
          (Long)
              ((JavascriptExecutor) browser)
                  .executeScript("return document.documentElement.scrollHeight;");
      metrics(size.width, (int) Math.max(height, size.height), mobile);
      byte[] png = browser.getScreenshotAs(OutputType.BYTES);
      Files.write(screenshots.resolve(name + "-" + (mobile ? "phone" : "laptop") + ".png"), png);
    }
    browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  private static void metrics(int width, int height, boolean mobile) {
    browser.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
  }
}

// Headless Debian Chromium, driven by playwright-core, opens the page (one origin) and reads the
// array from the gateway (another origin). Without the gateway's CORS headers every fetch fails.
import { chromium } from "playwright-core";
import { check, sameArray } from "./http-store.mjs";

const [pageUrl, gateway] = [process.argv[2], process.argv[3]];
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  await page.goto(pageUrl);
  await page.waitForFunction(() => typeof window.readFromGateway === "function");
  check(new URL(pageUrl).origin !== new URL(gateway).origin, `the page (${new URL(pageUrl).origin}) and the gateway (${new URL(gateway).origin}) are different origins`);
  const result = await page.evaluate((base) => window.readFromGateway(base), gateway);
  const expectedSum = Array.from({ length: 70 }, (_, i) => i * 3 - 50).reduce((a, b) => a + b, 0);
  check(result.shape.join() === "10,7" && result.sum === expectedSum, `the browser read the whole int32 array (sum ${result.sum})`);
  const expectedSlice = [];
  for (let r = 2; r < 7; r++) for (let c = 1; c < 5; c++) expectedSlice.push((r * 7 + c) * 3 - 50);
  check(sameArray(result.slice, expectedSlice), "the browser read a slice");
  check(result.tailLength === 8, "the browser read a suffix range (Range header allowed by the preflight)");
  check(result.missing, "a missing key is a 404 the browser can see (CORS headers on errors)");
  check(errors.length === 0 || errors.every((e) => e.includes("404")), `no CORS errors in the console (${errors.length} messages)`);
} finally {
  await browser.close();
}

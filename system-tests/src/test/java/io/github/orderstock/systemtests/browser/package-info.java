/** A headless Chromium driven over the W3C WebDriver protocol by chromedriver, for the browser tests. */
package io.github.orderstock.systemtests.browser;

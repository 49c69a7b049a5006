/** Fixtures both services' tests use (this module's test-jar): the MongoDB stand-in and a clock to move. */
package io.github.orderstock.support.testing;

/** The services' logging: repeated warnings and errors rate-limited, so an outage cannot fill the disk with them. */
package io.github.orderstock.support.logging;

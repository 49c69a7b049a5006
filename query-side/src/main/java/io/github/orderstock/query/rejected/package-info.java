/** Records on the topic that are not readable events: recognised, reported, and stepped over. */
package io.github.orderstock.query.rejected;

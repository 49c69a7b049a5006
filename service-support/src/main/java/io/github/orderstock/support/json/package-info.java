/** The services' one Jackson 2 mapper. */
package io.github.orderstock.support.json;

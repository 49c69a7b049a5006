/** HTTP API of the query side: product and order reads, the replay admin endpoint, problem answers. */
package io.github.orderstock.query.web;

/** HTTP API of the command side: request bodies, thin controllers, and the one place failures become problems. */
package io.github.orderstock.command.web;

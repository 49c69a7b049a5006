/** What the system tests, the dev stack's tests and the benchmark share: the stack handle and the clients to it. */
package io.github.orderstock.testsupport;

/** The system tests: one class per way of breaking the system, each proving invariants of DESIGN.md §3 with figures. */
package io.github.orderstock.systemtests;

/** The system tests: one class per way of breaking the system, each proving invariants of DESIGN.md §3. */
package io.github.orderstock.systemtests;

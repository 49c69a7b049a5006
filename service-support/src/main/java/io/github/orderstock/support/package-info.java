/** Service plumbing both sides share; it knows neither side ({@code ServiceSupportArchitectureTest}). */
package io.github.orderstock.support;

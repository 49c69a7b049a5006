/** The admin's HTTP security, the failed-login throttle and problem+json for errors outside Spring MVC. */
package io.github.orderstock.support.web;

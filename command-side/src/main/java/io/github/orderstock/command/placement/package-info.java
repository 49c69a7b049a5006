/**
 * Order placement: the order-id claim that makes every order id count once and records its outcome, the dispatch to
 * the product, and the settling of claims whose outcome was lost, all by key.
 */
package io.github.orderstock.command.placement;

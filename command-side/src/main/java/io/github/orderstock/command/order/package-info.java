/** Order placement: the order-id claim that makes every order id count once, and the dispatch to the product. */
package io.github.orderstock.command.order;

/** Infrastructure wiring: the MongoDB token store and the read-model database. */
package io.github.orderstock.query.config;

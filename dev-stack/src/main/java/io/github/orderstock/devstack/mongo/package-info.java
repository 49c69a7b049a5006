/** The MongoDB stand-in's durable storage: mongo-java-server collections as BSON in an H2 MVStore file. */
package io.github.orderstock.devstack.mongo;

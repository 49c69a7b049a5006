/** Rebuilding the read model from the start of the topic, and telling how far the rebuild got. */
package io.github.orderstock.query.replay;

package io.github.orderstock.query.web;

class NotFoundException extends RuntimeException {

    NotFoundException(String message) {
        super(message);
    }
}

package io.gifchat.room;

import org.springframework.http.HttpStatus;

/** A refusal with the HTTP status and the human message it maps to (rendered as ProblemDetail or a page). */
abstract class RoomException extends RuntimeException {

    RoomException(String message) {
        super(message, null, false, false);
    }

    abstract HttpStatus status();

    static final class NotFound extends RoomException {
        NotFound(String message) {
            super(message);
        }

        @Override
        HttpStatus status() {
            return HttpStatus.NOT_FOUND;
        }
    }

    static final class Forbidden extends RoomException {
        Forbidden(String message) {
            super(message);
        }

        @Override
        HttpStatus status() {
            return HttpStatus.FORBIDDEN;
        }
    }

    static final class Full extends RoomException {
        Full(String message) {
            super(message);
        }

        @Override
        HttpStatus status() {
            return HttpStatus.CONFLICT;
        }
    }

    static final class Invalid extends RoomException {
        Invalid(String message) {
            super(message);
        }

        @Override
        HttpStatus status() {
            return HttpStatus.BAD_REQUEST;
        }
    }

    static final class TooManyTries extends RoomException {
        TooManyTries(String message) {
            super(message);
        }

        @Override
        HttpStatus status() {
            return HttpStatus.TOO_MANY_REQUESTS;
        }
    }
}

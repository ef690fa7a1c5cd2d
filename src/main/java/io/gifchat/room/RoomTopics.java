package io.gifchat.room;

/** The STOMP destinations of rooms: the lobby, each room's topic and its typing signals. */
public final class RoomTopics {

    public static final String LOBBY = "/topic/room";
    static final String ROOM_PREFIX = "/topic/chat/";
    static final String TYPING_SUFFIX = "/typing";

    private RoomTopics() {
    }

    public static String room(String roomId) {
        return ROOM_PREFIX + roomId;
    }

    public static String typing(String roomId) {
        return ROOM_PREFIX + roomId + TYPING_SUFFIX;
    }

    /** The room id of {@code /topic/chat/{id}}, or null for anything else. */
    static String roomOf(String destination) {
        if (!destination.startsWith(ROOM_PREFIX)) {
            return null;
        }
        String id = destination.substring(ROOM_PREFIX.length());
        return id.isEmpty() || id.indexOf('/') >= 0 ? null : id;
    }

    /** The room id of {@code /topic/chat/{id}/typing}, or null. */
    static String typingRoomOf(String destination) {
        if (!destination.startsWith(ROOM_PREFIX) || !destination.endsWith(TYPING_SUFFIX)) {
            return null;
        }
        String id = destination.substring(ROOM_PREFIX.length(), destination.length() - TYPING_SUFFIX.length());
        return id.isEmpty() || id.indexOf('/') >= 0 ? null : id;
    }
}

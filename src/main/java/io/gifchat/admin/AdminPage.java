package io.gifchat.admin;

import java.util.List;

import io.gifchat.identity.Identity;
import io.gifchat.room.Presence;
import io.gifchat.room.RoomDeletion;
import io.gifchat.room.Rooms;
import io.gifchat.room.RoomView;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;
import reactor.core.publisher.Mono;

/** Every room with its owner and participants, and a delete button. Behind the admin login. */
@Controller
class AdminPage {

    record Row(RoomView room, List<Identity> participants) {
    }

    private final Rooms rooms;
    private final RoomDeletion deletion;
    private final Presence presence;

    AdminPage(Rooms rooms, RoomDeletion deletion, Presence presence) {
        this.rooms = rooms;
        this.deletion = deletion;
        this.presence = presence;
    }

    @GetMapping("/admin")
    String admin(Model model) {
        model.addAttribute("rooms", rooms.list()
                .flatMapSequential(room -> presence.members(room.id()).map(members -> new Row(room, members)))
                .collectList());
        return "admin";
    }

    /** Answers 200 with an empty body, which htmx swaps in place of the room's row. */
    @DeleteMapping("/admin/rooms/{id}")
    @ResponseBody
    Mono<ResponseEntity<String>> delete(@PathVariable String id) {
        return rooms.find(id)
                .flatMap(room -> deletion.delete(room).thenReturn(ResponseEntity.ok("")))
                .defaultIfEmpty(ResponseEntity.status(HttpStatus.NOT_FOUND).body(""));
    }
}

package io.gifchat.web;

import io.gifchat.identity.Identities;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

@Controller
class HomeController {

    private final Identities identities;

    HomeController(Identities identities) {
        this.identities = identities;
    }

    @GetMapping("/")
    Mono<String> home(ServerWebExchange exchange, Model model) {
        return identities.of(exchange).map(me -> {
            model.addAttribute("me", me);
            return "index";
        });
    }
}

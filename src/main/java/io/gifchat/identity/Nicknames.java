package io.gifchat.identity;

import java.util.List;
import java.util.random.RandomGenerator;

/** Friendly anonymous nicknames such as "Quiet Otter 42": 48 adjectives × 48 animals × 100 numbers. */
final class Nicknames {

    private static final List<String> ADJECTIVES = List.of(
            "Quiet", "Brave", "Sleepy", "Happy", "Clever", "Curious", "Gentle", "Jolly", "Lucky", "Mighty",
            "Nimble", "Polite", "Proud", "Silly", "Swift", "Witty", "Calm", "Eager", "Fancy", "Fuzzy",
            "Giant", "Tiny", "Bold", "Bright", "Cosmic", "Dizzy", "Funky", "Glad", "Humble", "Keen",
            "Lively", "Merry", "Noble", "Plucky", "Rapid", "Shy", "Sunny", "Zany", "Cheery", "Daring",
            "Dreamy", "Frosty", "Grumpy", "Misty", "Rusty", "Snowy", "Spicy", "Stormy");
    private static final List<String> ANIMALS = List.of(
            "Otter", "Falcon", "Panda", "Fox", "Owl", "Badger", "Beaver", "Bison", "Camel", "Cat",
            "Crane", "Deer", "Dolphin", "Duck", "Eagle", "Ferret", "Gecko", "Goat", "Hare", "Hedgehog",
            "Heron", "Ibis", "Koala", "Lemur", "Lion", "Llama", "Lynx", "Marmot", "Mole", "Moose",
            "Newt", "Orca", "Parrot", "Penguin", "Puffin", "Quokka", "Rabbit", "Raven", "Seal", "Sloth",
            "Squid", "Stork", "Tiger", "Toucan", "Turtle", "Walrus", "Wombat", "Yak");

    private Nicknames() {
    }

    static String next(RandomGenerator random) {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + " "
                + ANIMALS.get(random.nextInt(ANIMALS.size())) + " " + random.nextInt(100);
    }
}

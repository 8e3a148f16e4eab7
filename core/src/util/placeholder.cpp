namespace rkt {}

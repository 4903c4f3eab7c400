# Sourced by the other scripts: a message nobody scrolls past.
loud() {
    local bar="########################################################################"
    {
        printf '\n%s\n' "$bar"
        printf '### %s\n' "$@"
        printf '%s\n\n' "$bar"
    } >&2
}

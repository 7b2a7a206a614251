# shellcheck shell=bash
# Hand-made events for tests that put them on Kafka themselves (poison, or
# a message no producer of ours would write): protocol-buffers encoding in
# the shell, as hexadecimal for tests/fakes/kafka-put, following
# proto/banditore.proto's field numbers.

# pb_varint N: N (>= 0) as a base-128 varint.
pb_varint() {
	local v=$1 b
	while [ "$v" -ge 128 ]; do
		b=$(((v & 127) | 128))
		printf '%02x' "$b"
		v=$((v >> 7))
	done
	printf '%02x' "$v"
}

# pb_hex TEXT: the bytes of TEXT in hexadecimal.
pb_hex() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'; }

# pb_bytes FIELD HEX: a length-delimited field (string, bytes, message).
pb_bytes() { printf '%s%s%s' "$(pb_varint $(($1 << 3 | 2)))" "$(pb_varint $((${#2} / 2)))" "$2"; }

# pb_str FIELD TEXT / pb_int FIELD N: a string / a varint field.
pb_str() { pb_bytes "$1" "$(pb_hex "$2")"; }
pb_int() { printf '%s%s' "$(pb_varint $(($1 << 3)))" "$(pb_varint "$2")"; }

# pb_meta COMUNE: the EventMeta every event starts with (field 1).
pb_meta() {
	pb_bytes 1 "$(pb_str 1 "$(cat /proc/sys/kernel/random/uuid)")$(pb_str 2 "$1")$(pb_int 3 "$(date +%s%3N)")$(pb_int 4 1)"
}

# kafka_put TOPIC PARTITION|all KEY HEX: puts a message on the stack's
# TOPIC (prefix added); prints "partition offset" for each.
kafka_put() {
	"$BND_BIN_DIR/kafka-put" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}$1" "$2" "$3" "$4"
}

# Bytes that are no protocol-buffers message at all (a field of wire type 7).
PB_GARBAGE=ffffffffff0f07

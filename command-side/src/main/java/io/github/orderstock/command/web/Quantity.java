package io.github.orderstock.command.web;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

/**
 * The one rule for quantities in request bodies: a JSON integer, or a string of 1 to 9 ASCII digits ({@code "1"}, as
 * the original app accepted). Fractions, exponents, signs, spaces, booleans, arrays and objects are refused. Range
 * limits are checked by Bean Validation afterwards.
 */
final class Quantity extends JsonDeserializer<Integer> {

    static final String RULE = "a whole number, as a JSON number or a string of digits such as \"1\"";

    @Override
    public Integer deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() != JsonParser.NumberType.INT) {
                return (Integer) context.handleWeirdNumberValue(Integer.class, parser.getNumberValue(),
                        "out of range");
            }
            return parser.getIntValue();
        }
        if (token == JsonToken.VALUE_STRING && parser.getText().matches("[0-9]{1,9}")) {
            return Integer.valueOf(parser.getText());
        }
        return (Integer) context.handleUnexpectedToken(Integer.class, parser);
    }
}

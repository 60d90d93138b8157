package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// decodeJSON reads the request body into v. Unknown fields are ignored, as Spring Boot does for
// the original clients; anything else that is not one well-typed JSON object is a badRequest
// that names the problem. So is text that could not be kept exactly: encoding/json would turn
// invalid UTF-8 and lone surrogates into U+FFFD without a word, and a NUL character is dropped
// by the PostgreSQL dialect but kept by SQLite.
func decodeJSON(c *fiber.Ctx, v any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequestf("请求体为空，应为 JSON 对象")
	}
	if !utf8.Valid(body) {
		return badRequestf("请求体不是合法的 UTF-8 文本")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return badRequest{reason: describeJSONError(err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequestf("JSON 对象之后还有多余内容")
	}
	if problem := unstorableEscape(body); problem != "" {
		return badRequestf("文本中含有" + problem)
	}
	return nil
}

// unstorableEscape names the first \u escape of body's strings that no stored text can hold
// exactly: NUL, or half of a surrogate pair; "" if there is none. body is valid JSON.
func unstorableEscape(body []byte) string {
	inString := false
	for i := 0; i < len(body); i++ {
		switch {
		case body[i] == '"':
			inString = !inString
		case !inString || body[i] != '\\':
		case body[i+1] != 'u':
			i++ // a one-character escape such as \" or \\
		default:
			r := hex4(body[i+2 : i+6])
			i += 5
			switch {
			case r == 0:
				return " NUL 字符（\\u0000）"
			case utf16.IsSurrogate(r) && r < 0xDC00 && i+6 < len(body) && body[i+1] == '\\' && body[i+2] == 'u' &&
				utf16.DecodeRune(r, hex4(body[i+3:i+7])) != utf8.RuneError:
				i += 6 // a surrogate pair: one character
			case utf16.IsSurrogate(r):
				return "不成对的 UTF-16 代理项"
			}
		}
	}
	return ""
}

// hex4 reads the four hex digits of a \u escape, which the JSON decoder has already checked.
func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b), 16, 32)
	return rune(n)
}

func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Sprintf("字段 %s 的类型错误，应为 %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()))
	case errors.As(err, &typeErr):
		return "请求体应为 JSON 对象"
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return "请求体不是合法的 JSON"
	}
	return "请求体无法解析：" + err.Error()
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "数字"
	case "string":
		return "字符串"
	case "struct", "map":
		return "对象"
	case "slice", "array":
		return "数组"
	}
	return goKind
}

// pathID reads the positive integer id of the path parameter :id.
func pathID(c *fiber.Ctx) (int64, error) {
	return positiveID(c.Params("id"), "id")
}

func positiveID(raw, name string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequestf(fmt.Sprintf("%s 必须是正整数，收到 %q", name, truncate(raw, 32)))
	}
	return id, nil
}

// truncate keeps echoed input short, so that a huge value does not come back in the answer.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

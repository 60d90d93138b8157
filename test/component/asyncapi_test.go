package component_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

var (
	frameSchemasOnce sync.Once
	frameSchemas     map[string]*openapi3.Schema
	frameSchemasErr  error
)

// loadFrameSchemas reads the alert and heartbeat payload schemas of api/asyncapi.yaml.
func loadFrameSchemas(t *testing.T) map[string]*openapi3.Schema {
	t.Helper()
	frameSchemasOnce.Do(func() {
		raw, err := os.ReadFile("../../api/asyncapi.yaml")
		if err != nil {
			frameSchemasErr = err
			return
		}
		var doc map[string]any
		if frameSchemasErr = yaml.Unmarshal(raw, &doc); frameSchemasErr != nil {
			return
		}
		frameSchemas = map[string]*openapi3.Schema{}
		for name, pointer := range map[string]string{
			"alert": "#/components/schemas/Alert", "ack": "#/components/schemas/AckEvent",
			"heartbeat": "#/components/messages/heartbeat/payload", "state": "#/components/schemas/State",
		} {
			plain, err := inlineRefs(doc, map[string]any{"$ref": pointer}, 0)
			if frameSchemasErr = err; err != nil {
				return
			}
			js, _ := json.Marshal(plain)
			s := &openapi3.Schema{}
			if frameSchemasErr = s.UnmarshalJSON(js); frameSchemasErr != nil {
				return
			}
			frameSchemas[name] = s
		}
	})
	if frameSchemasErr != nil {
		t.Fatalf("api/asyncapi.yaml: %v", frameSchemasErr)
	}
	return frameSchemas
}

// inlineRefs replaces every local $ref of v ("#/a/b") by what it points to in doc, so that a
// payload schema stands alone.
func inlineRefs(doc map[string]any, v any, depth int) (any, error) {
	if depth > 20 {
		return nil, errors.New("$ref nesting deeper than 20")
	}
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			var target any = doc
			for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
				m, ok := target.(map[string]any)
				if !ok || m[part] == nil {
					return nil, fmt.Errorf("$ref %s does not resolve", ref)
				}
				target = m[part]
			}
			return inlineRefs(doc, target, depth+1)
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, err := inlineRefs(doc, e, depth)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := inlineRefs(doc, e, depth)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	default:
		return v, nil
	}
}

// checkFrame fails the test unless raw matches the named payload schema of api/asyncapi.yaml.
func checkFrame(t *testing.T, name string, raw []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("frame %q: %v", raw, err)
	}
	if err := loadFrameSchemas(t)[name].VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("frame %s does not match the %s payload of api/asyncapi.yaml: %v", raw, name, err)
	}
}

func TestFrameSchemaCatchesABadFrame(t *testing.T) {
	t.Parallel()
	schema := loadFrameSchemas(t)["alert"]
	for _, good := range []string{
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":2,"type":10,"shopId":3,"orderId":null,"orderNumber":"1208","content":"1208 房需要加床","source":"pms","createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null,"items":[{"name":"宫保鸡丁","number":2,"amount":18.00}]}`,
	} {
		var v any
		_ = json.Unmarshal([]byte(good), &v)
		if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Fatalf("the schema refuses a good frame %s: %v", good, err)
		}
	}
	for _, bad := range []string{
		`{"id":1,"type":"1","shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":1,"type":0,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":1,"type":100,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号：1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":1,"type":1,"shopId":1,"orderId":2,"content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":1,"type":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":1,"type":10,"shopId":1,"orderId":null,"orderNumber":"1","content":"x","source":7,"createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null,"items":[{"name":"宫保鸡丁","number":0,"amount":18.00}]}`,
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null,"items":[{"name":"宫保鸡丁","number":2,"amount":"18.00"}]}`,
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null,"items":[]}`,
	} {
		var v any
		_ = json.Unmarshal([]byte(bad), &v)
		if schema.VisitJSON(v, openapi3.EnableJSONSchema2020()) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
	// A published alert's content is the publisher's text, and its orderId may be null.
	for _, good := range []string{
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null}`,
		`{"id":2,"type":10,"shopId":3,"orderId":null,"orderNumber":"1203","content":"加两条毛巾","source":"pms","createdAt":"2026-11-27T06:23:13Z","ack":null}`,
	} {
		var v any
		_ = json.Unmarshal([]byte(good), &v)
		if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("the schema refuses %s: %v", good, err)
		}
	}
}

func TestAckEventSchemaCatchesABadFrame(t *testing.T) {
	t.Parallel()
	schemas := loadFrameSchemas(t)
	visit := func(name, frame string) error {
		var v any
		if err := json.Unmarshal([]byte(frame), &v); err != nil {
			t.Fatal(err)
		}
		return schemas[name].VisitJSON(v, openapi3.EnableJSONSchema2020())
	}
	for _, good := range []string{
		`{"event":"ack","id":9,"alertId":3,"orderId":45,"shopId":1,"by":{"id":3,"name":"张三"},"sid":"front-desk","at":"2026-11-27T06:24:01.250Z"}`,
		`{"event":"ack","id":9,"alertId":3,"orderId":null,"shopId":1,"by":{"id":null,"name":"pms"},"sid":null,"at":"2026-11-27T06:24:01.000Z"}`,
	} {
		if err := visit("ack", good); err != nil {
			t.Errorf("the ack schema refuses %s: %v", good, err)
		}
	}
	for _, bad := range []string{
		`{"event":"ack","id":9,"alertId":3,"orderId":45,"shopId":1,"by":{"id":3,"name":"张三"},"sid":null,"at":"2026-11-27T06:24:01Z"}`,
		`{"event":"ack","id":9,"alertId":3,"orderId":45,"shopId":1,"by":{"id":3,"name":"张三"},"sid":null,"at":"2026-11-27T14:24:01.250+08:00"}`,
		`{"event":"ack","id":9,"orderId":45,"shopId":1,"by":null,"sid":null,"at":"2026-11-27T06:24:01.250Z"}`,
		`{"event":"nack","id":9,"alertId":3,"orderId":45,"shopId":1,"by":null,"sid":null,"at":"2026-11-27T06:24:01.250Z"}`,
		`{"event":"ack","type":1,"id":9,"alertId":3,"orderId":45,"shopId":1,"by":null,"sid":null,"at":"2026-11-27T06:24:01.250Z"}`,
	} {
		if visit("ack", bad) == nil {
			t.Errorf("the ack schema accepts %s", bad)
		}
	}
	acked := `{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":{"by":{"id":3,"name":"张三"},"sid":null,"at":"2026-11-27T06:24:01.250Z"}}`
	if err := visit("alert", acked); err != nil {
		t.Errorf("the alert schema refuses an acknowledged alert %s: %v", acked, err)
	}
}

package component_test

import (
	"encoding/json"
	"os"
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
		var doc struct {
			Components struct {
				Messages map[string]struct{ Payload yaml.Node } `yaml:"messages"`
				Schemas  map[string]yaml.Node                   `yaml:"schemas"`
			} `yaml:"components"`
		}
		if frameSchemasErr = yaml.Unmarshal(raw, &doc); frameSchemasErr != nil {
			return
		}
		frameSchemas = map[string]*openapi3.Schema{}
		for name, node := range map[string]yaml.Node{"alert": doc.Components.Schemas["Alert"], "heartbeat": doc.Components.Messages["heartbeat"].Payload} {
			var plain any
			if frameSchemasErr = node.Decode(&plain); frameSchemasErr != nil {
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
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z"}`,
		`{"id":2,"type":10,"shopId":3,"orderId":null,"orderNumber":"1208","content":"1208 房需要加床","source":"pms","createdAt":"2026-11-27T06:23:13Z"}`,
	} {
		var v any
		_ = json.Unmarshal([]byte(good), &v)
		if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Fatalf("the schema refuses a good frame %s: %v", good, err)
		}
	}
	for _, bad := range []string{
		`{"id":1,"type":"1","shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z"}`,
		`{"id":1,"type":0,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z"}`,
		`{"id":1,"type":100,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z"}`,
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号：1","source":null,"createdAt":"2026-11-27T06:23:13Z"}`,
		`{"id":1,"type":1,"shopId":1,"orderId":2,"content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z"}`,
		`{"id":1,"type":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z"}`,
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","createdAt":"2026-11-27T06:23:13Z"}`,
		`{"id":1,"type":10,"shopId":1,"orderId":null,"orderNumber":"1","content":"x","source":7,"createdAt":"2026-11-27T06:23:13Z"}`,
	} {
		var v any
		_ = json.Unmarshal([]byte(bad), &v)
		if schema.VisitJSON(v, openapi3.EnableJSONSchema2020()) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
	// A published alert's content is the publisher's text, and its orderId may be null.
	for _, good := range []string{
		`{"id":1,"type":1,"shopId":1,"orderId":2,"orderNumber":"1","content":"订单号:1","source":null,"createdAt":"2026-11-27T06:23:13Z"}`,
		`{"id":2,"type":10,"shopId":3,"orderId":null,"orderNumber":"1203","content":"加两条毛巾","source":"pms","createdAt":"2026-11-27T06:23:13Z"}`,
	} {
		var v any
		_ = json.Unmarshal([]byte(good), &v)
		if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("the schema refuses %s: %v", good, err)
		}
	}
}

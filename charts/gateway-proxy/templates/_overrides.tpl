{{- /*
Gloo's kubeResourceOverride (components/render/kube-override.ts): an object with an override is
read back, the override laid over it with sprig's mergeOverwrite (what Gloo's gloo.util.merge
does: maps merge key by key, anything else replaces), the parts keepalive covers checked on the
final object, and the object written as JSON. An object without an override is written as it is.
*/ -}}

{{- /* Takes (list $ text): the text's objects, each with its override. */ -}}
{{- define "gk.withOverrides" -}}
{{- $sources := include "gk.overrideSources" (index . 0) | fromJson -}}
{{- if not $sources -}}
{{- index . 1 -}}
{{- else -}}
{{- range $doc := regexSplit "(?m)^---[ \t]*$" (index . 1) -1 -}}
{{- if trim $doc -}}
{{- $object := fromYaml $doc -}}
{{- $source := index $sources (printf "%s/%s/%s" $object.kind $object.metadata.namespace $object.metadata.name) -}}
{{- if and $source (include "gk.activeOverride" $source.override | eq "true") }}
---
{{ include "gk.overridden" (list $object $source.override $source.path) }}
{{- else }}
---
{{ trim $doc }}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* Which override Gloo lays over each object of gateway-proxy.yaml, by kind/namespace/name. Returns JSON. */ -}}
{{- define "gk.overrideSources" -}}
{{- $out := dict -}}
{{- $proxies := dict -}}
{{- if include "gk.anyEntrySets" (list . "kubeResourceOverride" "configMap.kubeResourceOverride" "service.kubeResourceOverride") | eq "true" }}{{ $proxies = include "gk.proxies" . | fromJson }}{{ end -}}
{{- range $key, $proxy := $proxies -}}
{{- $spec := $proxy.spec -}}
{{- $entry := $proxy.entry -}}
{{- $name := include "gk.name" $key -}}
{{- $ns := $spec.namespace | default $.Release.Namespace -}}
{{- $own := ($entry.configMap | default dict).kubeResourceOverride -}}
{{- if $own }}{{ $_ := set $out (printf "ConfigMap/%s/%s-envoy-config" $ns $name) (dict "override" $own "path" (printf "%s.kubeResourceOverride" (index $proxy.origin "configMap"))) }}{{ end -}}
{{- if $entry.kubeResourceOverride -}}
{{- range $kind := list "Deployment" "DaemonSet" }}{{ $_ := set $out (printf "%s/%s/%s" $kind $ns $name) (dict "override" $entry.kubeResourceOverride "path" (index $proxy.origin "kubeResourceOverride")) }}{{ end -}}
{{- end -}}
{{- if $entry.service -}}
{{- $service := $spec.service | default dict -}}
{{- $serviceName := $service.name | default $name | toString | kebabcase -}}
{{- if $service.kubeResourceOverride }}{{ $_ := set $out (printf "Service/%s/%s" $ns $serviceName) (dict "override" $service.kubeResourceOverride "path" (printf "%s.kubeResourceOverride" (index $proxy.origin "service"))) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- $account := (.Values.gateway | default dict).proxyServiceAccount | default dict -}}
{{- if $account.kubeResourceOverride -}}
{{- range $ns := include "gk.proxyNamespaces" . | fromJsonArray }}{{ $_ := set $out (printf "ServiceAccount/%s/gateway-proxy" $ns) (dict "override" $account.kubeResourceOverride "path" "gateway.proxyServiceAccount.kubeResourceOverride") }}{{ end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{- /* An override Gloo applies: a non-empty map. */ -}}
{{- define "gk.activeOverride" -}}
{{- and (kindIs "map" .) (gt (len .) 0) -}}
{{- end -}}

{{- /* An object with its override, as JSON; fails naming the override's path when it changes what keepalive covers. Takes (list object override path). */ -}}
{{- define "gk.overridden" -}}
{{- $before := index . 0 -}}
{{- $override := index . 1 -}}
{{- $after := mergeOverwrite (deepCopy $before) (deepCopy $override) -}}
{{- range $g := include "gk.overrideGuards" $before.kind | fromJsonArray -}}
{{- if ne (include "gk.guardPick" (list $g $before $before.metadata.name)) (include "gk.guardPick" (list $g $after $before.metadata.name)) -}}
{{- fail (printf "%s: %s" (include "gk.overridePath" (list (index $ 2) $override $g.at)) $g.why) -}}
{{- end -}}
{{- end -}}
{{- toJson $after -}}
{{- end -}}

{{- /* What keepalive covers on an object of a kind (the library's guards, in the same order). Returns JSON. */ -}}
{{- define "gk.overrideGuards" -}}
{{- $annotations := dict "at" (list "metadata" "annotations") "pick" "ownAnnotations" "why" "changes the gloo-keepalive.io/ annotations, which carry the proxy's keepalive hops to the policy pack" -}}
{{- $pod := list "spec" "template" "spec" -}}
{{- if eq . "ConfigMap" -}}
{{- toJson (list
  (dict "at" (list "metadata" "name") "pick" "value" "why" "renames the envoy-config ConfigMap the proxy pods mount")
  (dict "at" (list "metadata" "namespace") "pick" "value" "why" "moves the envoy-config ConfigMap away from the proxy pods")
  (dict "at" (list "data" "envoy.yaml") "pick" "value" "why" "replaces the Envoy bootstrap, whose keepalive is rendered and checked here; set it through the proxy's values (envoyStaticClusters, tcpKeepalive*, xdsHttp2Keepalive)")
  $annotations) -}}
{{- else if or (eq . "Deployment") (eq . "DaemonSet") -}}
{{- toJson (list
  (dict "at" (list "metadata" "namespace") "pick" "value" "why" "moves the proxy pods away from their envoy-config ConfigMap")
  (dict "at" (concat $pod (list "securityContext" "sysctls")) "pick" "keepaliveSysctls" "why" "changes the pod's keepalive sysctls (net.ipv4.tcp_keepalive_*), which podTemplate.tcpKeepaliveSysctls renders and the keepalive hops are computed from")
  (dict "at" (concat $pod (list "containers")) "pick" "envoyContainer" "why" "changes how the Envoy container loads the checked bootstrap (its command, args or envoy-config mount); add Envoy arguments with extraEnvoyArgs")
  (dict "at" (concat $pod (list "volumes")) "pick" "envoyVolume" "why" "changes the envoy-config volume that mounts the checked bootstrap")
  $annotations) -}}
{{- else -}}
{{- toJson (list $annotations) -}}
{{- end -}}
{{- end -}}

{{- /* The part a guard compares, as JSON. Takes (list guard object renderedName). */ -}}
{{- define "gk.guardPick" -}}
{{- $g := index . 0 -}}
{{- $name := index . 2 -}}
{{- $node := index . 1 -}}
{{- range $k := $g.at }}{{ if kindIs "map" $node }}{{ $node = index $node $k }}{{ else }}{{ $node = index dict "" }}{{ end }}{{ end -}}
{{- $out := list -}}
{{- if eq $g.pick "value" -}}
{{- $out = $node -}}
{{- else if eq $g.pick "ownAnnotations" -}}
{{- $out = dict -}}
{{- if kindIs "map" $node }}{{ range $k, $v := $node }}{{ if hasPrefix "gloo-keepalive.io/" $k }}{{ $_ := set $out $k $v }}{{ end }}{{ end }}{{ end -}}
{{- else if kindIs "slice" $node -}}
{{- range $item := $node -}}
{{- if kindIs "map" $item -}}
{{- if and (eq $g.pick "keepaliveSysctls") (regexMatch "^net\\.ipv4\\.tcp_keepalive_" (toString $item.name)) }}{{ $out = append $out $item }}{{ end -}}
{{- if and (eq $g.pick "envoyVolume") (eq (toString $item.name) "envoy-config") }}{{ $out = append $out $item }}{{ end -}}
{{- if and (eq $g.pick "envoyContainer") (eq (toString $item.name) $name) (not $out) -}}
{{- $mounts := list -}}
{{- if kindIs "slice" $item.volumeMounts }}{{ range $m := $item.volumeMounts }}{{ if and (kindIs "map" $m) (eq (toString $m.name) "envoy-config") }}{{ $mounts = append $mounts $m }}{{ end }}{{ end }}{{ end -}}
{{- $out = list $item.command $item.args $mounts -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and (eq $g.pick "envoyContainer") (not $out) }}{{ $out = index dict "" }}{{ end -}}
{{- toJson $out -}}
{{- end -}}

{{- /* The deepest key of a guard's place the override sets, under the override's path. Takes (list path override at). */ -}}
{{- define "gk.overridePath" -}}
{{- $out := index . 0 -}}
{{- $node := index . 1 -}}
{{- $done := false -}}
{{- range $k := index . 2 -}}
{{- if and (not $done) (kindIs "map" $node) (hasKey $node $k) }}{{ $out = printf "%s.%s" $out $k }}{{ $node = index $node $k }}{{ else }}{{ $done = true }}{{ end -}}
{{- end -}}
{{- $out -}}
{{- end -}}

{{- /* A value as Gloo's {{ value }} prints it into YAML, read back ("1" is 1, "50%" stays, unset is null). Returns JSON {"v": value}. */ -}}
{{- define "gk.printed" -}}
{{- if kindIs "invalid" . -}}
{{- toJson (dict "v" nil) -}}
{{- else -}}
{{- toJson (dict "v" (printf "v: %v" . | fromYaml).v) -}}
{{- end -}}
{{- end -}}

{{- /* Whether any gatewayProxies entry (either nesting) sets one of the keys (dotted paths), before any merge: what spares the merge when none does. Takes (list $ key...). */ -}}
{{- define "gk.anyEntrySets" -}}
{{- $root := index . 0 -}}
{{- $found := false -}}
{{- range $entries := list ($root.Values.gatewayProxies | default dict) (($root.Values.gloo | default dict).gatewayProxies | default dict) -}}
{{- range $entry := $entries -}}
{{- range $path := rest $ -}}
{{- $node := $entry -}}
{{- range $k := splitList "." $path }}{{ if kindIs "map" $node }}{{ $node = index $node $k }}{{ else }}{{ $node = index dict "" }}{{ end }}{{ end -}}
{{- if $node }}{{ $found = true }}{{ end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $found -}}
{{- end -}}

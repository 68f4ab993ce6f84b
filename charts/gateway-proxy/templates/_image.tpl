{{- /*
Gloo's gloo.image helper, as the gateway-proxy templates use it: a container's own image merged
over global.image (sprig's merge: an own field that is unset, null, "", false or 0 takes
global's), then registry/repository[-fips][:tag[-distroless]][@digest], the digest chosen by the
variant; the final reference checked as the container runtimes parse it, failing at the value
path of the part at fault. components/render/gloo-image.ts is the library's rule.
*/ -}}

{{- /* Takes (list constants ownImage ownPath globalImage); returns JSON {ref, pullPolicy, pullSecret}. */ -}}
{{- define "gk.glooImage" -}}
{{- $c := index . 0 -}}
{{- $own := (kindIs "map" (index . 1)) | ternary (index . 1) dict -}}
{{- $ownPath := index . 2 -}}
{{- $global := (kindIs "map" (index . 3)) | ternary (index . 3) dict -}}
{{- $i := merge (deepCopy $own) (deepCopy $global) -}}
{{- $variant := toString $i.variant -}}
{{- $repository := "" -}}
{{- if $i.repository -}}
{{- $repository = toString $i.repository -}}
{{- if and (or $i.fips (has $variant (list "fips" "fips-distroless"))) (has $repository $c.image.fipsRepositories) }}{{ $repository = printf "%s-fips" $repository }}{{ end -}}
{{- end -}}
{{- $tag := "" -}}
{{- if $i.tag -}}
{{- $tag = toString $i.tag -}}
{{- if and (has $variant (list "distroless" "fips-distroless")) (has (toString $i.repository) $c.image.distrolessRepositories) }}{{ $tag = printf "%s-distroless" $tag }}{{ end -}}
{{- end -}}
{{- $digestKey := "digest" -}}
{{- if or $i.fips (eq $variant "fips") }}{{ $digestKey = "fipsDigest" }}
{{- else if eq $variant "distroless" }}{{ $digestKey = "distrolessDigest" }}
{{- else if eq $variant "fips-distroless" }}{{ $digestKey = "fipsDistrolessDigest" }}{{ end -}}
{{- $digest := "" -}}
{{- if and (not $i.disableDigest) (index $i $digestKey) }}{{ $digest = toString (index $i $digestKey) }}{{ end -}}
{{- $registry := (kindIs "invalid" $i.registry) | ternary "%!s(<nil>)" (toString $i.registry) -}}
{{- $ref := printf "%s/%s" $registry $repository -}}
{{- with $tag }}{{ $ref = printf "%s:%s" $ref . }}{{ end -}}
{{- with $digest }}{{ $ref = printf "%s@%s" $ref . }}{{ end -}}
{{- $checks := list (list "registry" "registry" $i.registry) (list "repository" "repository" $repository) -}}
{{- if $tag }}{{ $checks = append $checks (list "tag" "tag" $tag) }}{{ end -}}
{{- if $digest }}{{ $checks = append $checks (list "digest" $digestKey $digest) }}{{ end -}}
{{- range $check := $checks -}}
{{- $part := index $check 0 -}}
{{- $key := index $check 1 -}}
{{- $value := index $check 2 -}}
{{- $path := (or (not (empty (index $own $key))) (hasKey $own $key) (not (hasKey $global $key))) | ternary (printf "%s.%s" $ownPath $key) (printf "global.image.%s" $key) -}}
{{- $rule := index $c.image.parts $part -}}
{{- if not (and (kindIs "string" $value) (regexMatch $rule.pattern (toString $value))) -}}
{{- $shown := (empty $value) | ternary (printf "no %s" $part) (printf "the %s %q" $part (toString $value)) -}}
{{- fail (printf "%s: the image reference %q has %s; a %s is %s" $path $ref $shown $part $rule.why) -}}
{{- end -}}
{{- end -}}
{{- $name := printf "%s/%s" $registry $repository -}}
{{- if gt (len $name) (int $c.image.nameMaxLength) -}}
{{- $path := (or (not (empty $own.repository)) (hasKey $own "repository") (not (hasKey $global "repository"))) | ternary (printf "%s.repository" $ownPath) "global.image.repository" -}}
{{- fail (printf "%s: the image name %q has %d characters; at most %d" $path $name (len $name) (int $c.image.nameMaxLength)) -}}
{{- end -}}
{{- $out := dict "ref" $ref "pullPolicy" $i.pullPolicy -}}
{{- with $i.pullSecret }}{{ $_ := set $out "pullSecret" (toString .) }}{{ end -}}
{{- toJson $out -}}
{{- end -}}

{{- /* An image's defaults with the values' own fields over them, as Helm lays values over a chart's defaults (a null removes): (list defaults own); returns JSON. */ -}}
{{- define "gk.imageWithDefaults" -}}
{{- $out := deepCopy (index . 0) -}}
{{- range $k, $v := ((kindIs "map" (index . 1)) | ternary (index . 1) dict) -}}
{{- if kindIs "invalid" $v }}{{ $_ := unset $out $k }}{{ else }}{{ $_ := set $out $k $v }}{{ end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

// The Go template engine, case by case from the text/template and Sprig documentation.
import { describe, expect, it } from 'vitest';
import { Budget, Executor, LimitError, renderString, standardFunctions, TemplateExecError, TemplateSet, TemplateSyntaxError, UnknownFunctionError } from '../../src/render/gotemplate/index.js';

const render = (source: string, data: unknown = {}): string => renderString('t.tpl', source, data).text;

describe('text/template actions and pipelines', () => {
  it('prints constants, fields and the pipelines of the documentation examples', () => {
    expect(render('{{"\\"output\\""}}')).toBe('"output"');
    expect(render('{{`"output"`}}')).toBe('"output"');
    expect(render('{{printf "%q" "output"}}')).toBe('"output"');
    expect(render('{{"output" | printf "%q"}}')).toBe('"output"');
    expect(render('{{printf "%q" (print "out" "put")}}')).toBe('"output"');
    expect(render('{{"put" | printf "%s%s" "out" | printf "%q"}}')).toBe('"output"');
    expect(render('{{"output" | printf "%s" | printf "%q"}}')).toBe('"output"');
    expect(render('{{with "output"}}{{printf "%q" .}}{{end}}')).toBe('"output"');
    expect(render('{{with $x := "output" | printf "%q"}}{{$x}}{{end}}')).toBe('"output"');
    expect(render('{{with $x := "output"}}{{$x | printf "%q"}}{{end}}')).toBe('"output"');
    expect(render('{{.A.B}} {{.C}}', { A: { B: 1 }, C: true })).toBe('1 true');
    expect(render("{{'a'}} {{0x1F}} {{1e3}} {{-3}}")).toBe('97 31 1000 -3');
  });

  it('trims whitespace around {{- and -}}, but not a minus sign', () => {
    expect(render('{{23 -}} < {{- 45}}')).toBe('23<45');
    expect(render('a  \n\t{{- "b" -}}\n\n  c')).toBe('abc');
    expect(render('x {{- /* gone */ -}} y')).toBe('xy');
    expect(render('x {{/* kept spaces */}} y')).toBe('x  y');
  });

  it('if / else if / else, with / else with, and Go truthiness', () => {
    const t = '{{if .A}}a{{else if .B}}b{{else}}c{{end}}';
    expect(render(t, { A: 1 })).toBe('a');
    expect(render(t, { B: 'x' })).toBe('b');
    expect(render(t, { A: 0, B: '' })).toBe('c');
    expect(render(t, { A: [], B: {} })).toBe('c');
    expect(render('{{with .X}}{{.}}{{else with .Y}}y={{.}}{{else}}none{{end}}', { Y: 2 })).toBe('y=2');
    expect(render('{{with .X}}{{.}}{{else}}none{{end}}', { X: false })).toBe('none');
  });

  it('ranges over slices, maps in sorted key order, integers, with else, break and continue', () => {
    expect(render('{{range $i, $e := .}}{{$i}}={{$e}};{{end}}', ['a', 'b'])).toBe('0=a;1=b;');
    expect(render('{{range $k, $v := .}}{{$k}}:{{$v}} {{end}}', { b: 2, a: 1, C: 3 })).toBe('C:3 a:1 b:2 ');
    expect(render('{{range $v := .}}{{$v}}{{end}}', { b: 2, a: 1 })).toBe('12');
    expect(render('{{range .}}{{.}}{{else}}empty{{end}}', [])).toBe('empty');
    expect(render('{{range 3}}{{.}}{{end}}')).toBe('012');
    expect(render('{{range .}}{{if eq . 3}}{{break}}{{end}}{{if eq . 1}}{{continue}}{{end}}{{.}}{{end}}', [0, 1, 2, 3, 4])).toBe('02');
  });

  it('scopes variables to their control structure; $ is the data; = assigns an outer variable', () => {
    expect(render('{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}')).toBe('21');
    expect(render('{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}')).toBe('2');
    expect(render('{{range .L}}{{$.Name}}-{{.}} {{end}}', { Name: 'n', L: [1, 2] })).toBe('n-1 n-2 ');
    expect(() => render('{{if true}}{{$y := 1}}{{end}}{{$y}}')).toThrow(/undefined variable: \$y/);
  });

  it('define, template and block; a template does not inherit variables', () => {
    const t = '{{define "T1"}}ONE{{end}}{{define "T2"}}TWO{{end}}{{define "T3"}}{{template "T1"}} {{template "T2"}}{{end}}{{template "T3"}}';
    expect(render(t)).toBe('ONE TWO');
    expect(render('{{define "d"}}[{{.}}]{{end}}{{template "d" .X}}', { X: 5 })).toBe('[5]');
    expect(render('{{block "b" .}}<{{.}}>{{end}}', 'v')).toBe('<v>');
    expect(() => render('{{define "d"}}{{$x}}{{end}}{{$x := 1}}{{template "d"}}')).toThrow(/undefined variable: \$x/);
  });

  it('comparison and logic functions', () => {
    expect(render('{{eq 1 2 3 1}} {{eq "a" "b"}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}')).toBe('true false true true true true false');
    expect(render('{{and 1 0 2}} {{and 1 2}} {{or 0 "" "x"}} {{or 0 ""}} {{not 0}}')).toBe('0 2 x  true');
    // `and` stops at the first empty argument: the nil field after it is never evaluated.
    expect(render('{{if and .A .A.B}}yes{{else}}no{{end}}', {})).toBe('no');
    expect(() => render('{{eq "1" 1}}')).toThrow(/incompatible types for comparison/);
  });

  it('index, slice, len, print, println, printf verbs', () => {
    expect(render('{{index . 1 "k"}}', [0, { k: 'v' }])).toBe('v');
    expect(render('{{index .m "missing"}}|', { m: {} })).toBe('|');
    expect(render('{{slice . 1 3}} {{slice . 1}} {{slice "hello" 1 3}}', [1, 2, 3, 4])).toBe('[2 3] [2 3 4] el');
    expect(render('{{len .}} {{len "héllo"}} {{len .}}', [1, 2])).toBe('2 6 2');
    expect(render('{{print "a" 1 2 "b"}}|{{println 1 "x"}}')).toBe('a1 2b|1 x\n');
    expect(render('{{printf "%s %d %v %q %t %5.2f|%-4s|%04d %x %X %o %b %c %e %%" "s" 42 .M "q" true 3.14159 "ab" 7 255 255 8 5 65 1234.5}}', { M: { b: 1, a: [1, 2] } }))
      .toBe('s 42 map[a:[1 2] b:1] "q" true  3.14|ab  |0007 ff FF 10 101 A 1.234500e+03 %');
    expect(render('{{printf "%d" "x"}} {{printf "%s"}} {{printf "%s" 1 2}}')).toBe('%!d(string=x) %!s(MISSING) %!s(int=1)%!(EXTRA int=2)');
  });

  it('reports syntax errors with the template name and line', () => {
    expect(() => render('a\n{{if .X}}\nb')).toThrow(TemplateSyntaxError);
    expect(() => render('a\n{{if .X}}\nb')).toThrow(/t\.tpl:2/);
    expect(() => render('{{ .X ')).toThrow(/unclosed action/);
    expect(() => render('{{end}}')).toThrow(/unexpected \{\{end\}\}/);
    expect(() => render('{{break}}')).toThrow(/outside \{\{range\}\}/);
  });

  it('an unknown function is an error naming it and the template; nil field access errors as in Go', () => {
    let error: unknown;
    try {
      render('ok\n{{ frobnicate .X }}');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownFunctionError);
    expect((error as UnknownFunctionError).fn).toBe('frobnicate');
    expect((error as Error).message).toContain('t.tpl:2');
    expect(() => render('{{.A.B}}', {})).toThrow(/nil pointer evaluating interface \{\}\.B/);
    expect(render('{{.A}}|', {})).toBe('|');
  });

  it('is bounded: huge ranges, unbounded recursion and output floods end in a LimitError', () => {
    const limits = { maxSteps: 100_000, maxOutput: 100_000, maxMillis: 2_000, maxDepth: 50 };
    const run = (src: string) => renderString('t', src, {}, { limits }).text;
    expect(() => run('{{range until 100000000}}x{{end}}')).toThrow(LimitError);
    expect(() => run('{{range $a := until 1000}}{{range until 1000}}{{range until 1000}}{{end}}{{end}}{{end}}')).toThrow(LimitError);
    expect(() => run('{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}')).toThrow(/nested more than 50 deep/);
    expect(() => run('{{range until 50000}}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{end}}')).toThrow(/characters of output/);
    expect(() => run('{{repeat 100000000 "x"}}')).toThrow(TemplateExecError);
  });
});

describe('Sprig functions', () => {
  const cases: [string, string][] = [
    ['{{trim "   hello    "}}', 'hello'],
    ['{{trimAll "$" "$5.00"}}', '5.00'],
    ['{{trimSuffix "-" "hello-"}}', 'hello'],
    ['{{trimPrefix "-" "-hello"}}', 'hello'],
    ['{{upper "hello"}} {{lower "HELLO"}} {{title "hello world"}}', 'HELLO hello Hello World'],
    ['{{repeat 3 "hello"}}', 'hellohellohello'],
    ['{{substr 0 5 "hello world"}}', 'hello'],
    ['{{trunc 5 "hello world"}} {{trunc -5 "hello world"}}', 'hello world'],
    ['{{abbrev 5 "hello world"}}', 'he...'],
    ['{{contains "cat" "catch"}} {{hasPrefix "cat" "catch"}} {{hasSuffix "ch" "catch"}}', 'true true true'],
    ['{{quote "a" 1}} {{squote "b"}} {{"x\\"y" | quote}}', '"a" "1" \'b\' "x\\"y"'],
    ['{{cat "hello" "beautiful" "world"}}', 'hello beautiful world'],
    ['{{replace " " "-" "I Am Henry VIII"}}', 'I-Am-Henry-VIII'],
    ['{{base "a/b/"}} {{base ""}} {{base "/"}} {{dir "a/b/"}} {{dir "a"}} {{clean "a//b/../c/"}} {{ext "x/a.tar.gz"}}|{{ext "a.b/c"}}| {{isAbs "/x"}}', 'b . / a/b . a/c .gz|| true'],
    ['{{plural "one anchovy" "many anchovies" 2}}', 'many anchovies'],
    ['{{snakecase "FirstName"}} {{camelcase "http_server"}} {{kebabcase "FirstName"}}', 'first_name HttpServer first-name'],
    ['{{"a\\nb" | indent 2}}|{{"a\\nb" | nindent 2}}', '  a\n  b|\n  a\n  b'],
    ['{{regexMatch "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\\\.[A-Za-z]{2,}$" "test@acme.com"}}', 'true'],
    ['{{regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W"}}', '-W-xxW-'],
    ['{{regexFindAll "[2,4,6,8]" "123456789" -1}} {{regexFind "[a-zA-Z][1-9]" "abcd1234"}}', '[2 4 6 8] d1'],
    ['{{regexSplit "z+" "pizza" -1}}', '[pi a]'],
    ['{{b64enc "hello"}} {{b64dec "aGVsbG8="}}', 'aGVsbG8= hello'],
    ['{{sha256sum "Hello world!"}}', 'c0535e4be2b79ffd93291305436bf889314e4a3faec05ecffcbb7df31ad9e51a'],
    ['{{semverCompare "^1.2.0" "1.2.3"}} {{semverCompare ">=1.20.0-0" "v1.31.0"}} {{semverCompare "<1.19, >=1.10" "1.25.0"}}', 'true true false'],
    ['{{until 5}} {{untilStep 3 6 2}}', '[0 1 2 3 4] [3 5]'],
    ['{{default "foo" .Missing}} {{default "foo" "bar"}} {{empty 0}} {{empty "x"}}', 'foo bar true false'],
    ['{{coalesce 0 "" 1 2}} {{ternary "foo" "bar" true}} {{ternary "foo" "bar" false}}', '1 foo bar'],
    ['{{$l := list 1 2 3 4 5}}{{first $l}} {{rest $l}} {{last $l}} {{initial $l}} {{append $l 6}} {{prepend $l 0}}', '1 [2 3 4 5] 5 [1 2 3 4] [1 2 3 4 5 6] [0 1 2 3 4 5]'],
    ['{{concat (list 1) (list 6 7) (list 8)}} {{reverse (list 1 2)}} {{uniq (list "a" "a" 1 "b")}} {{without (list "a" "b" 1 "c") "a" "c"}}', '[1 6 7 8] [2 1] [a 1 b] [b 1]'],
    ['{{has "4" (list "1" "4")}} {{has 4 (list 1 5)}} {{compact (list 1 "a" "foo" "")}} {{slice (list 1 2 3 4) 1 3}} {{chunk 3 (list 1 2 3 4 5 6 7 8)}}', 'true false [1 a foo] [2 3] [[1 2 3] [4 5 6] [7 8]]'],
    ['{{$d := dict "name1" "value1" "name2" "value2"}}{{get $d "name1"}} {{get $d "x"}}|{{hasKey $d "name2"}} {{keys $d | sortAlpha}}', 'value1 |true [name1 name2]'],
    ['{{$d := dict "a" 1}}{{$_ := set $d "b" 2}}{{$_ := unset $d "a"}}{{$d}}', 'map[b:2]'],
    ['{{pluck "name1" (dict "name1" "a") (dict "name1" "b") (dict "x" 1)}}', '[a b]'],
    ['{{merge (dict "a" 1) (dict "a" 2 "b" 2) (dict "c" 3)}} {{mergeOverwrite (dict "a" 1 "b" true) (dict "a" 2 "b" false)}}', 'map[a:1 b:2 c:3] map[a:2 b:false]'],
    ['{{pick (dict "a" 1 "b" 2) "a"}} {{omit (dict "a" 1 "b" 2) "a"}}', 'map[a:1] map[b:2]'],
    ['{{dig "user" "role" "humanName" "guest" (dict "user" (dict "role" (dict "humanName" "admin")))}} {{dig "x" "y" "guest" (dict)}}', 'admin guest'],
    ['{{join "-" (list "a" "b" 1)}} {{splitList "$" "foo$bar$baz"}} {{split "$" "foo$bar$baz"}}', 'a-b-1 [foo bar baz] map[_0:foo _1:bar _2:baz]'],
    ['{{toString 80}} {{atoi "123"}} {{int "42"}} {{int 3.9}} {{int64 "7"}} {{float64 "1.5"}}', '80 123 42 3 7 1.5'],
    ['{{add 1 2 3}} {{add1 1}} {{sub 5 2}} {{mul 2 3}} {{div 7 2}} {{mod 7 2}} {{max 1 5 3}} {{min 4 2}}', '6 2 3 6 3 1 5 2'],
    ['{{kindOf "x"}} {{kindOf (list)}} {{kindIs "map" (dict)}} {{typeOf 1.5}} {{kindIs "string" 1}} {{deepEqual (list "a") (list "a")}}', 'string slice true float64 false true'],
  ];
  it.each(cases)('%s', (source, expected) => {
    expect(render(source, {})).toBe(expected);
  });

  it('fail stops the render with its message', () => {
    expect(() => render('{{fail "Please accept the end user license agreement"}}')).toThrow(/Please accept the end user license agreement/);
  });
});

describe('defining a template twice, as Go does', () => {
  it('within one file: two bodies are an error; an empty one (spaces, comments) gives way to the other', () => {
    expect(() => render('{{define "x"}}1{{end}}{{define "x"}}2{{end}}')).toThrow(TemplateSyntaxError);
    expect(() => render('{{define "x"}}1{{end}}{{define "x"}}2{{end}}')).toThrow(/multiple definition of template "x"/);
    expect(render('{{define "x"}}1{{end}}{{define "x"}} {{/* none */}} {{end}}{{template "x"}}')).toBe('1');
    expect(render('{{define "x"}}{{end}}{{define "x"}}2{{end}}{{template "x"}}')).toBe('2');
  });

  it('across files: the file parsed last wins, but an empty define never replaces a template', () => {
    const set = new TemplateSet();
    set.add('b', '{{define "sc"}}privileged: true{{end}}');
    set.add('a', '{{define "sc"}}\n  {{/* filled in elsewhere */}}\n{{end}}');
    set.add('main', '{{template "sc"}}');
    const run = () => new Executor(set, standardFunctions, new Budget()).execute('main', { v: null }).text;
    expect(run()).toBe('privileged: true');
    set.add('c', '{{define "sc"}}privileged: false{{end}}');
    expect(run()).toBe('privileged: false');
  });
});

describe("Sprig's merge and mergeOverwrite (mergo), as Helm's Sprig merges", () => {
  // Each expected output is what Sprig renders (text/template with Sprig's functions on mergo).
  const data = {
    a: { p: true, s: 'a', l: [1], m: { x: 1, y: { z: 1 } }, n: 'keep', e: '', q: { r: 1 }, t: 5, u: [], v: {}, f: false },
    b: { p: false, s: '', l: [], m: { x: 0, y: { z: 2, w: 3 } }, n: { a: 1 }, e: { a: 1 }, q: 'str', t: null, u: [2], v: { k: 1 }, new: 1, f: true, nn: null },
  };
  const copy = () => JSON.parse(JSON.stringify(data)) as typeof data;

  it('mergeOverwrite sets every value of the source, empty ones too, but no map over a value that is not empty', () => {
    expect(render('{{mergeOverwrite .a .b}}', copy())).toBe(
      'map[e:map[a:1] f:true l:[] m:map[x:0 y:map[w:3 z:2]] n:keep new:1 nn:<nil> p:false q:str s: t:<nil> u:[2] v:map[k:1]]',
    );
  });

  it('merge fills only what the destination lacks or holds empty, and skips nil', () => {
    expect(render('{{merge .a .b}}', copy())).toBe(
      'map[e:map[a:1] f:true l:[1] m:map[x:1 y:map[w:3 z:1]] n:keep new:1 p:true q:map[r:1] s:a t:5 u:[2] v:map[k:1]]',
    );
  });

  it('a map the destination lacks is taken as is: merging into it later changes the source too', () => {
    expect(render('{{$m := merge (dict) .b .c}}{{.b}}', { b: { a: { x: 1 } }, c: { a: { x: false, y: 2 } } })).toBe('map[a:map[x:1 y:2]]');
  });
});

describe("Go's int and float64, which Warden's one number type does not tell apart", () => {
  it('what asks for the Go type of a whole number fails closed; other kinds and fractions answer', () => {
    for (const source of ['{{kindOf 1}}', '{{typeOf 1}}', '{{kindIs "int" 1}}', '{{kindIs "float64" .n}}', '{{typeIs "int64" 1}}', '{{typeIsLike "float64" .n}}']) {
      expect(() => render(source, { n: 3 }), source).toThrow(/does not know whether \d+ is a Go int or float64/);
    }
    expect(render('{{kindIs "string" 1}} {{kindIs "map" .n}} {{kindOf 1.5}} {{typeIs "float64" 2.5}}', { n: 3 })).toBe('false false float64 true');
  });

  it('has, without, uniq and deepEqual fail closed on equal whole numbers (reflect.DeepEqual tells 0 from 0.0)', () => {
    for (const source of ['{{has 0 .l}}', '{{without .l 0}}', '{{uniq (list .n .n)}}', '{{deepEqual (list 1) (list 1)}}']) {
      expect(() => render(source, { l: [0], n: 2 }), source).toThrow(/does not know whether \d+ is a Go int or float64/);
    }
    expect(render('{{has 1 .l}} {{without .l 5}} {{uniq (list "a" "a" 0.5 0.5)}} {{deepEqual (list 1.5) (list 1.5)}}', { l: [0] })).toBe('false [0] [a 0.5] true');
  });
});

describe("Go's regexp (RE2), not JavaScript's", () => {
  // Each expected output is what Go's regexp gives through Sprig.
  const cases: [string, string][] = [
    ['{{regexMatch "^\\\\s$" "\\v"}} {{regexMatch "^\\\\s$" "\\u00a0"}} {{regexMatch "^.$" "\\r"}} {{regexMatch "^.$" "\\u2028"}} {{regexMatch "(?s)^.$" "\\n"}}', 'false false true true true'],
    ['{{regexReplaceAll "a*" "baaac" "-"}} {{regexFindAll "a*" "baaac" -1}} {{regexSplit "a*" "baaac" -1}} {{regexReplaceAll "" "abc" "-"}}', '-b-c- [ aaa ] [b c] -a-b-c-'],
    ['{{regexReplaceAll "(a)(b)" "ab" "$1x$2"}}|{{regexReplaceAll "(?P<n>a)" "a" "${n}!"}}|{{regexReplaceAll "a" "a" "$$"}}|{{regexReplaceAll "(a)" "a" "${1}x $ $9"}}', 'b|a!|$|ax $ '],
    ['{{regexMatch "(?m)a$" "a\\rb"}} {{regexFindAll "(?m)^x" "x\\rx\\nx" -1}} {{regexReplaceAll "\\\\Ax" "xx" "y"}} {{regexReplaceAll "x\\\\z" "xx" "y"}}', 'false [x x] yx xy'],
    ['{{regexSplit "," "a,b,c" 2}} {{regexSplit "," "" -1}} {{regexSplit "," "a,b" 0}} {{regexSplit "x*" "axbc" -1}} {{regexFindAll "a" "aaaa" 2}}', '[a b,c] [] [] [a b c] [a a]'],
    ['{{regexMatch "^a\\\\-b\\\\#\\\\:$" "a-b#:"}} {{regexMatch "^[]a]+$" "]a"}} {{regexMatch "^[^]a]+$" "bc"}} {{regexMatch "(?i)^ABC$" "abc"}}', 'true true true true'],
    ['{{regexMatch "^a{01}}$" "a{01}}"}} {{regexReplaceAll "(?i:A)+" "baAb" "-"}} {{regexMatch "^(?:(?s).)(?-s:.)$" "\\n\\n"}}', 'true b-b false'],
  ];
  it.each(cases)('%s', (source, expected) => {
    expect(render(source)).toBe(expected);
  });

  it('what JavaScript cannot match as Go does fails closed: (?U), a POSIX class, (?i) on part of it, escapes Go refuses', () => {
    for (const pattern of ['(?U)a.*b', '[[:alpha:]]', 'a(?i)b', '[\\S]', '(a)\\1', '[\\b]', '\\u0061', '(?i)\\bx']) {
      expect(() => render(`{{regexFind ${JSON.stringify(pattern)} "axb"}}`), pattern).toThrow(TemplateExecError);
    }
  });
});

<#
.SYNOPSIS
    The bridge's PowerShell side: runs requests from its own channel and answers each one exactly once.
.DESCRIPTION
    Channel: the first line on standard input is base64(UTF-8 JSON) {pipe, token, modules, depth, ...}. The
    dispatcher then connects to the named pipe (Windows) or Unix domain socket (elsewhere) that the Node
    side listens on (System.IO.Pipes.NamedPipeClientStream, not inherited by child processes), proves
    itself with the token, and from then on reads and writes only frames on it:
      frame = 4-byte little-endian length of the body, then the body (UTF-8):
        Node -> here : "C<id>\n<json request>" (a call), "S<id>" (stop that call), "P<id>" (ping)
        here -> Node : "A<token>" (once), "R<id>\n<json result>" (one per call), "G<id>\n<json>" (live progress)
    Standard output is never written by the dispatcher: whatever reaches it (Console writes, child processes)
    is host output for the Node side, never a frame. A second runspace on its own thread reads the channel,
    so a stop request reaches a running command (PowerShell.BeginStop, as Ctrl-C does), and when the channel
    closes (Node ended) the running command is stopped and the process ends after the grace period.
    Values never become script text: the command is looked up with Get-Command (and checked against what the
    session allows) and run with PowerShell.AddCommand/AddParameter. Works under Windows PowerShell 5.1 and
    PowerShell 7.
#>
[CmdletBinding()]
param(
    # The process is started through node-powershell, which always ends the command line with
    # "-NoExit -Command -". After "-File dispatcher.ps1" those are arguments of this script: they are
    # collected here, reported in the init answer, and otherwise ignored.
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]] $IgnoredArguments,

    # Set when the dispatcher runs in its own runspace (below).
    [switch] $Serve
)

if (-not $Serve) {
    # The console host stops its own pipeline on Ctrl-C (SIGINT): a signal meant for the terminal's
    # foreground job would end the dispatcher between two statements, with a call unanswered. So the
    # dispatcher runs in a runspace of its own, on this thread, where the host's Ctrl-C does not reach;
    # commands are stopped only through the channel.
    $serveState = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $serveRunspace = [runspacefactory]::CreateRunspace($serveState)
    $serveRunspace.ThreadOptions = [System.Management.Automation.Runspaces.PSThreadOptions]::UseCurrentThread
    $serveRunspace.Open()
    $server = [powershell]::Create()
    $server.Runspace = $serveRunspace
    [void]$server.AddScript([System.IO.File]::ReadAllText($PSCommandPath)).AddParameter('Serve', $true).AddParameter('IgnoredArguments', $IgnoredArguments)
    [void]$server.Invoke()
    foreach ($record in $server.Streams.Error) {
        [Console]::Error.WriteLine('bridge dispatcher: ' + $record.ToString())
    }
    [System.Environment]::Exit(0)
}

$ErrorActionPreference = 'Stop'
Set-StrictMode -Off
$script:utf8 = New-Object System.Text.UTF8Encoding $false
# Throws on a lone surrogate (which UTF-8 cannot carry), where the plain encoding would put U+FFFD instead.
$script:strictUtf8 = New-Object System.Text.UTF8Encoding -ArgumentList @($false, $true)
$script:loneSurrogate = New-Object System.Text.RegularExpressions.Regex -ArgumentList @('[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]')
$script:escapeSurrogate = [System.Text.RegularExpressions.MatchEvaluator] {
    param($Match)
    '\u' + ([int]$Match.Value[0]).ToString('x4', [System.Globalization.CultureInfo]::InvariantCulture)
}
# Strings of at least this many characters travel as raw segments of the frame, not inside its JSON.
$script:segmentChars = 32768
# The segments of the answer being built: @{ path = keys and indexes from the answer's root; text }.
$script:segments = New-Object System.Collections.Generic.List[object]
try {
    [Console]::OutputEncoding = $script:utf8
    [Console]::InputEncoding = $script:utf8
} catch {
    $null = $_
}
$OutputEncoding = $script:utf8
# PowerShell 7.2+ renders with ANSI colours unless told otherwise; Windows PowerShell has no such setting.
$style = Get-Variable -Name PSStyle -ValueOnly -ErrorAction SilentlyContinue
if ($null -ne $style) {
    $style.OutputRendering = 'PlainText'
}
$script:fromJsonHasDateKind = (Get-Command -Name ConvertFrom-Json).Parameters.ContainsKey('DateKind')
$script:invariant = [System.Globalization.CultureInfo]::InvariantCulture
$script:commands = @{}
$script:depth = 8
# Limits of one answer; past them the call fails with an error naming the limit (output is never cut).
$script:maxValues = 1000000
$script:maxResultBytes = 268435456
$script:budget = 0
$script:writeLock = New-Object object
$script:allowed = $null
$script:allowScript = $false
# Commands that run text as code or change what a name means; refused unless the session allows scripts.
$script:scriptCommands = @{}
foreach ($name in @('Invoke-Expression', 'Add-Type', 'New-Module', 'Import-Module', 'Remove-Module', 'Invoke-Command', 'Start-Job', 'Start-ThreadJob', 'Set-Alias', 'New-Alias', 'Set-PSBreakpoint', 'Register-EngineEvent', 'Register-ObjectEvent', 'Enter-PSHostProcess')) {
    $script:scriptCommands[$name] = $true
}
$script:scalarKinds = @{}
foreach ($rawType in @([bool], [int], [long], [double], [decimal], [byte], [int16], [uint16], [uint32], [uint64], [single], [sbyte], [System.Numerics.BigInteger])) {
    $script:scalarKinds[$rawType] = 'raw'
}
foreach ($textType in @([string], [char], [guid], [uri], [version], [System.Management.Automation.ScriptBlock])) {
    $script:scalarKinds[$textType] = 'text'
}
$script:scalarKinds[[datetime]] = 'date'
$script:scalarKinds[[System.DateTimeOffset]] = 'offset'
$script:scalarKinds[[timespan]] = 'span'
$script:scalarKinds[[System.Security.SecureString]] = 'secret'
$script:valueMembers = [System.Management.Automation.PSMemberTypes]'NoteProperty,Property,ScriptProperty,AliasProperty,CodeProperty'

function Read-BridgeLine {
    # The first line on standard input: base64 of UTF-8 JSON.
    param([string] $Line)
    Read-BridgeJson -Json ($script:utf8.GetString([Convert]::FromBase64String($Line)))
}

function Read-BridgeJson {
    param([string] $Json)
    $json = $Json
    # PowerShell 7 turns ISO 8601 strings into dates unless -DateKind String (7.5+); 5.1 leaves them alone.
    $options = @{ InputObject = $json }
    if ($script:fromJsonHasDateKind) {
        $options['DateKind'] = 'String'
    }
    $parsed = ConvertFrom-Json @options
    ConvertTo-BridgeArgument -Value $parsed
}

function Read-BridgeSegmented {
    # "D<id>\n<table>\n<json><segment>...": the request's JSON, then each long string raw (UTF-8, or UTF-16LE
    # code units), put back where the table's path says (the JSON holds null there).
    # $Length: the frame's bytes at the start of $Data (a buffer the reader reuses can be longer).
    param([byte[]] $Data, [int] $Length)
    $idEnd = [System.Array]::IndexOf($Data, [byte]10, 0, $Length)
    $tableEnd = -1
    if ($idEnd -ge 0) {
        $tableEnd = [System.Array]::IndexOf($Data, [byte]10, $idEnd + 1, $Length - $idEnd - 1)
    }
    if ($tableEnd -lt 0) {
        throw 'the segment table is missing'
    }
    $table = ConvertFrom-Json -InputObject ($script:utf8.GetString($Data, $idEnd + 1, $tableEnd - $idEnd - 1))
    [long]$at = $tableEnd + 1
    [long]$jsonBytes = $table.json
    if ($jsonBytes -lt 0 -or $at + $jsonBytes -gt $Length) {
        throw 'the segment table does not match the frame'
    }
    $request = Read-BridgeJson -Json ($script:utf8.GetString($Data, [int]$at, [int]$jsonBytes))
    $at += $jsonBytes
    foreach ($segment in @($table.segments)) {
        [long]$bytes = $segment.bytes
        if ($bytes -lt 0 -or $at + $bytes -gt $Length) {
            throw 'a segment is longer than the frame'
        }
        if ([string]$segment.encoding -eq 'utf16le') {
            $chars = New-Object char[] ([int]($bytes / 2))
            [System.Buffer]::BlockCopy($Data, [int]$at, $chars, 0, $chars.Length * 2)
            $text = New-Object string -ArgumentList @(, $chars)
            $chars = $null
        } else {
            $text = $script:strictUtf8.GetString($Data, [int]$at, [int]$bytes)
        }
        $at += $bytes
        $path = @($segment.path)
        $holder = $request
        for ($i = 0; $i -lt $path.Count; $i++) {
            $step = $path[$i]
            $isKey = $step -is [string]
            if ($isKey -and $holder -is [hashtable] -and $holder.ContainsKey($step)) {
                if ($i -eq $path.Count - 1) {
                    $holder[$step] = $text
                } else {
                    $holder = $holder[$step]
                }
            } elseif (-not $isKey -and $holder -is [array] -and [long]$step -ge 0 -and [long]$step -lt $holder.Length) {
                if ($i -eq $path.Count - 1) {
                    $holder[[int]$step] = $text
                } else {
                    $holder = $holder[[int]$step]
                }
            } else {
                throw 'a segment path does not match the request'
            }
        }
    }
    if ($at -ne $Length) {
        throw 'the frame is longer than its segments'
    }
    , $request
}

function ConvertTo-BridgeArgument {
    # JSON values -> PowerShell values: objects become hashtables, arrays stay arrays (also of one item).
    param($Value)
    if ($null -eq $Value) {
        return $null
    }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $table = @{}
        foreach ($property in $Value.PSObject.Properties) {
            $table[$property.Name] = ConvertTo-BridgeArgument -Value $property.Value
        }
        return $table
    }
    if ($Value -is [array]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $Value) {
            $items.Add((ConvertTo-BridgeArgument -Value $item))
        }
        return , $items.ToArray()
    }
    return $Value
}

function ConvertTo-BridgeSecureString {
    param([string] $Text)
    $secure = New-Object System.Security.SecureString
    if ($null -ne $Text) {
        foreach ($character in $Text.ToCharArray()) {
            $secure.AppendChar($character)
        }
    }
    $secure.MakeReadOnly()
    , $secure
}

function ConvertTo-BridgeParameter {
    # Shapes a JSON value for the type the command declares: switches, credentials, secure strings.
    param($Value, [type] $Type)
    if ($null -eq $Type -or $null -eq $Value) {
        return , $Value
    }
    if ($Type -eq [System.Management.Automation.SwitchParameter]) {
        return , ([System.Management.Automation.SwitchParameter][bool]$Value)
    }
    if ($Type -eq [System.Security.SecureString] -and $Value -is [string]) {
        return , (ConvertTo-BridgeSecureString -Text $Value)
    }
    if ($Type -eq [System.Management.Automation.PSCredential] -and $Value -is [hashtable]) {
        $user = $Value['UserName']
        $password = ConvertTo-BridgeSecureString -Text ([string]$Value['Password'])
        return , (New-Object System.Management.Automation.PSCredential -ArgumentList @([string]$user, $password))
    }
    return , $Value
}

function ConvertTo-BridgeDate {
    param([datetime] $Date)
    if ($Date.Kind -eq [System.DateTimeKind]::Unspecified) {
        $Date = [datetime]::SpecifyKind($Date, [System.DateTimeKind]::Local)
    }
    $Date.ToString('o', $script:invariant)
}

function Add-BridgeSegment {
    # A long string leaves the JSON (null in its place) and travels raw after it; its path says where it goes.
    param([string] $Text, [object[]] $Path)
    $script:segments.Add(@{ path = $Path; text = $Text })
    $null
}

function ConvertTo-BridgeValue {
    # PowerShell values -> JSON-ready values: ISO 8601 dates, enums as names, no secrets. $Path is where the
    # value sits in the answer (keys and indexes), for strings long enough to travel as segments.
    param($Value, [int] $Depth, [object[]] $Path)
    if ($null -eq $Value) {
        return $null
    }
    $script:budget--
    $base = $Value
    if ($Value -is [System.Management.Automation.PSObject]) {
        $base = $Value.PSObject.BaseObject
    }
    # One lookup by type instead of a chain of -is tests (the chain dominated the cost of large outputs).
    $type = $base.GetType()
    $kind = $script:scalarKinds[$type]
    if ($null -ne $kind) {
        switch ($kind) {
            'raw' { return $base }
            'text' {
                $text = [string]$base
                if ($text.Length -ge $script:segmentChars) {
                    return Add-BridgeSegment -Text $text -Path $Path
                }
                return $text
            }
            'date' { return ConvertTo-BridgeDate -Date $base }
            'offset' { return $base.ToString('o', $script:invariant) }
            'span' { return $base.ToString('c', $script:invariant) }
            'secret' { return $null }
        }
    }
    if ($type.IsEnum) { return $base.ToString() }
    if ($base -is [System.Management.Automation.PSCredential]) {
        return [ordered]@{ UserName = $base.UserName }
    }
    if ($Depth -le 0) { return [string]$base }
    if ($base -is [System.Collections.IDictionary]) {
        $map = [ordered]@{}
        foreach ($key in $base.Keys) {
            $name = [string]$key
            $map[$name] = ConvertTo-BridgeValue -Value $base[$key] -Depth ($Depth - 1) -Path ($Path + @(, $name))
        }
        return $map
    }
    if ($base -is [System.Collections.IEnumerable]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $base) {
            if ($script:budget -lt 0) {
                break
            }
            if ($item -is [string] -and $item.Length -lt $script:segmentChars) {
                $script:budget--
                $items.Add([string]$item)
            } else {
                $items.Add((ConvertTo-BridgeValue -Value $item -Depth ($Depth - 1) -Path ($Path + @(, $items.Count))))
            }
        }
        return , $items.ToArray()
    }
    $map = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) {
        if (-not ($property.MemberType -band $script:valueMembers)) {
            continue
        }
        try {
            $propertyValue = $property.Value
        } catch {
            $propertyValue = $null
        }
        # Inline fast path for the common scalars: a function call per value is the dominant cost.
        if ($null -eq $propertyValue -or ($propertyValue -is [string] -and $propertyValue.Length -lt $script:segmentChars) -or $propertyValue -is [bool] -or $propertyValue -is [int] -or $propertyValue -is [long]) {
            $script:budget--
            $map[$property.Name] = $propertyValue
        } else {
            $map[$property.Name] = ConvertTo-BridgeValue -Value $propertyValue -Depth ($Depth - 1) -Path ($Path + @(, $property.Name))
        }
    }
    $map
}

function ConvertTo-BridgeError {
    param([System.Management.Automation.ErrorRecord] $Record, [System.Exception] $Owner)
    $exception = $Record.Exception
    if ($null -ne $Owner) {
        $wrapped = $exception -is [System.Management.Automation.ParentContainsErrorRecordException]
        $plain = $Owner -isnot [System.Management.Automation.IContainsErrorRecord]
        if ($wrapped -or $plain) {
            $exception = $Owner
        }
    }
    $position = $null
    $scriptName = $null
    $line = $null
    $column = $null
    if ($null -ne $Record.InvocationInfo) {
        $position = $Record.InvocationInfo.PositionMessage
        $scriptName = $Record.InvocationInfo.ScriptName
        $line = $Record.InvocationInfo.ScriptLineNumber
        $column = $Record.InvocationInfo.OffsetInLine
    }
    $details = $null
    if ($null -ne $Record.ErrorDetails) {
        $details = $Record.ErrorDetails.Message
    }
    $innermost = $exception
    while ($null -ne $innermost.InnerException) {
        $innermost = $innermost.InnerException
    }
    [ordered]@{
        type                  = $exception.GetType().FullName
        innerType             = $innermost.GetType().FullName
        message               = $exception.Message
        details               = $details
        fullyQualifiedErrorId = $Record.FullyQualifiedErrorId
        category              = $Record.CategoryInfo.Category.ToString()
        targetName            = [string]$Record.CategoryInfo.TargetName
        scriptPosition        = $position
        scriptName            = $scriptName
        line                  = $line
        column                = $column
        scriptStackTrace      = $Record.ScriptStackTrace
    }
}

function ConvertFrom-BridgeCaught {
    # The error that stopped the call, as `$_` would hold it in a catch block around the command: the
    # MethodInvocationException of PowerShell.Invoke() is unwrapped, then the exception's own ErrorRecord.
    param([System.Management.Automation.ErrorRecord] $Caught)
    $exception = $Caught.Exception
    if ($exception -is [System.Management.Automation.MethodInvocationException] -and $null -ne $exception.InnerException) {
        $exception = $exception.InnerException
    }
    if ($exception -is [System.Management.Automation.IContainsErrorRecord] -and $null -ne $exception.ErrorRecord) {
        return ConvertTo-BridgeError -Record $exception.ErrorRecord -Owner $exception
    }
    ConvertTo-BridgeError -Record $Caught -Owner $exception
}

function New-BridgeResult {
    param($Id)
    [ordered]@{
        id          = $Id
        ok          = $true
        output      = @()
        errors      = @()
        warnings    = @()
        information = @()
        progress    = @()
        verbose     = @()
        debug       = @()
        stopped     = $false
        exitCode    = $null
        durationMs  = 0
    }
}

function New-BridgeFailure {
    # An error record of the bridge itself (a refusal, a limit, an unreadable request), shaped as the others.
    param([string] $Message, [string] $ErrorId, [System.Management.Automation.ErrorCategory] $Category = 'InvalidOperation', [string] $Target)
    $exception = New-Object System.InvalidOperationException -ArgumentList @($Message)
    $record = New-Object System.Management.Automation.ErrorRecord -ArgumentList @($exception, $ErrorId, $Category, $Target)
    ConvertTo-BridgeError -Record $record
}

function ConvertTo-BridgeBytes {
    # JSON text -> UTF-8. A lone surrogate (only ever inside a string) becomes its \uXXXX escape, so it
    # arrives as itself instead of as U+FFFD.
    param([string] $Json)
    try {
        return , $script:strictUtf8.GetBytes($Json)
    } catch {
        $null = $_
    }
    , $script:utf8.GetBytes($script:loneSurrogate.Replace($Json, $script:escapeSurrogate))
}

function ConvertTo-BridgeJsonString {
    # One JSON string literal, for the segment table.
    param([string] $Text)
    ConvertTo-Json -InputObject $Text -Depth 1 -Compress
}

function Write-BridgeFrame {
    # One frame from its parts (byte arrays, or strings written as UTF-8 straight to the channel): the length
    # is known beforehand, so no part is copied into one large body.
    param([object[]] $Parts, [long] $Length)
    if ($Length -gt [int]::MaxValue) {
        throw "A frame of $Length bytes is larger than the channel carries."
    }
    $header = [System.BitConverter]::GetBytes([int]$Length)
    [System.Threading.Monitor]::Enter($script:writeLock)
    try {
        $script:pipe.Write($header, 0, 4)
        foreach ($part in $Parts) {
            if ($part -is [byte[]]) {
                $script:pipe.Write($part, 0, $part.Length)
            } else {
                $script:frameWriter.Write([string]$part)
                $script:frameWriter.Flush()
            }
        }
        $script:pipe.Flush()
    } finally {
        [System.Threading.Monitor]::Exit($script:writeLock)
    }
}

function Write-BridgeText {
    # A frame whose body is one short text (the token).
    param([string] $Body)
    $bytes = $script:utf8.GetBytes($Body)
    Write-BridgeFrame -Parts @(, $bytes) -Length $bytes.Length
}

function Get-BridgeSegmentParts {
    # The raw form of each segment: UTF-8 when the text is valid Unicode, else its UTF-16LE code units
    # (a lone surrogate arrives as itself). Returns the table entries, the parts and their total length.
    $entries = New-Object System.Collections.Generic.List[string]
    $parts = New-Object System.Collections.Generic.List[object]
    [long]$total = 0
    foreach ($segment in $script:segments) {
        $text = [string]$segment.text
        $encoding = 'utf8'
        $part = $text
        try {
            [long]$size = $script:strictUtf8.GetByteCount($text)
        } catch {
            $encoding = 'utf16le'
            $chars = $text.ToCharArray()
            $part = New-Object byte[] ($chars.Length * 2)
            [System.Buffer]::BlockCopy($chars, 0, $part, 0, $part.Length)
            $chars = $null
            $size = $part.Length
        }
        $path = @(foreach ($step in $segment.path) {
                if ($step -is [string]) {
                    ConvertTo-BridgeJsonString -Text $step
                } else {
                    ([long]$step).ToString($script:invariant)
                }
            })
        $entries.Add('{"path":[' + ($path -join ',') + '],"bytes":' + $size.ToString($script:invariant) + ',"encoding":"' + $encoding + '"}')
        $parts.Add($part)
        $total += $size
    }
    @{ entries = $entries; parts = $parts; total = $total }
}

function Write-BridgeResult {
    # "R<id>\n<json>", or, with long strings, "B<id>\n<table>\n<json><segment>...": the table (one line of
    # JSON) gives the JSON's length in bytes and each segment's path, length and encoding, in order.
    param($Result)
    $json = ConvertTo-BridgeBytes -Json (ConvertTo-Json -InputObject $Result -Depth 100 -Compress)
    $raw = $null
    [long]$size = $json.Length
    if ($script:segments.Count -gt 0) {
        $raw = Get-BridgeSegmentParts
        $size += $raw.total
    }
    $script:segments.Clear()
    if ($size -gt $script:maxResultBytes) {
        $limited = New-BridgeResult -Id $Result.id
        $limited.ok = $false
        $limited.errors = @(New-BridgeFailure -ErrorId 'BridgeLimitExceeded,maxResultBytes' -Category LimitsExceeded -Message "The answer is $size bytes, more than the limit of $($script:maxResultBytes) bytes (maxResultBytes); raise maxResultBytes or ask for less output. Nothing of the output was returned.")
        $json = ConvertTo-BridgeBytes -Json (ConvertTo-Json -InputObject $limited -Depth 100 -Compress)
        $raw = $null
    }
    if ($null -eq $raw) {
        $head = $script:utf8.GetBytes('R' + [string]$Result.id + "`n")
        Write-BridgeFrame -Parts @($head, $json) -Length ($head.Length + $json.Length)
        return
    }
    $table = '{"json":' + $json.Length.ToString($script:invariant) + ',"segments":[' + ($raw.entries -join ',') + ']}'
    $head = ConvertTo-BridgeBytes -Json ('B' + [string]$Result.id + "`n" + $table + "`n")
    $parts = New-Object System.Collections.Generic.List[object]
    $parts.Add($head)
    $parts.Add($json)
    $parts.AddRange($raw.parts)
    Write-BridgeFrame -Parts $parts.ToArray() -Length ($head.Length + $size)
}

function Invoke-BridgeInRunspace {
    param([string] $Command, [hashtable] $Parameters)
    $shell = [powershell]::Create()
    $shell.Runspace = $script:runspace
    try {
        [void]$shell.AddCommand($Command)
        foreach ($key in $Parameters.Keys) {
            [void]$shell.AddParameter($key, $Parameters[$key])
        }
        , $shell.Invoke()
    } finally {
        $shell.Dispose()
    }
}

function Get-BridgeInfo {
    [ordered]@{
        processId        = $PID
        version          = $PSVersionTable.PSVersion.ToString()
        edition          = [string]$PSVersionTable.PSEdition
        ignoredArguments = @($IgnoredArguments | Where-Object { $null -ne $_ })
    }
}

# The host of the command runspace: like the default host of a hosted runspace (no user interface), but it
# records `exit <code>`, which otherwise ends a command as if it had finished. A PowerShell class, made when
# the dispatcher starts (no compiler); without it (a PowerShell that cannot make it) exit codes go unseen.
$script:hostSource = @'
class PSBridgeHost : System.Management.Automation.Host.PSHost {
    [object] $ExitCode = $null
    hidden [guid] $id = [guid]::NewGuid()
    hidden [System.Globalization.CultureInfo] $culture = [System.Globalization.CultureInfo]::CurrentCulture
    hidden [System.Globalization.CultureInfo] $uiCulture = [System.Globalization.CultureInfo]::CurrentUICulture
    [string] get_Name() { return 'PSBridge' }
    [version] get_Version() { return [version]'1.0' }
    [guid] get_InstanceId() { return $this.id }
    [System.Management.Automation.Host.PSHostUserInterface] get_UI() { return $null }
    [System.Globalization.CultureInfo] get_CurrentCulture() { return $this.culture }
    [System.Globalization.CultureInfo] get_CurrentUICulture() { return $this.uiCulture }
    [void] SetShouldExit([int] $exitCode) { $this.ExitCode = $exitCode }
    [void] EnterNestedPrompt() { throw (New-Object System.NotSupportedException -ArgumentList @('A command run through the bridge cannot enter a nested prompt.')) }
    [void] ExitNestedPrompt() { }
    [void] NotifyBeginApplication() { }
    [void] NotifyEndApplication() { }
}
[PSBridgeHost]::new()
'@

function New-BridgeHost {
    try {
        return & ([scriptblock]::Create($script:hostSource))
    } catch {
        [Console]::Error.WriteLine('bridge dispatcher: exit codes will not be seen: ' + $_.Exception.Message)
        return $null
    }
}

function Initialize-Bridge {
    param([hashtable] $Init)
    if ($Init['depth']) {
        $script:depth = [int]$Init['depth']
    }
    if ($Init['maxValues']) {
        $script:maxValues = [int]$Init['maxValues']
    }
    if ($Init['maxResultBytes']) {
        $script:maxResultBytes = [long]$Init['maxResultBytes']
    }
    $script:allowScript = [bool]$Init['allowScript']
    if ($null -ne $Init['allowedCommands']) {
        $script:allowed = @{}
        foreach ($name in @($Init['allowedCommands'])) {
            $script:allowed[[string]$name] = $true
        }
    }
    $result = New-BridgeResult -Id 'init'
    $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $script:commandHost = New-BridgeHost
    if ($null -ne $script:commandHost) {
        $script:runspace = [runspacefactory]::CreateRunspace($script:commandHost, $state)
    } else {
        $script:runspace = [runspacefactory]::CreateRunspace($state)
    }
    # The dispatcher runs one call at a time; running the runspace on this thread avoids a thread hand-off
    # per call (about 20 ms on a busy machine, against under 2 ms). A stop comes from the reader's thread.
    $script:runspace.ThreadOptions = [System.Management.Automation.Runspaces.PSThreadOptions]::UseCurrentThread
    $script:runspace.Open()
    $prepare = '$style = Get-Variable -Name PSStyle -ValueOnly -ErrorAction SilentlyContinue; if ($null -ne $style) { $style.OutputRendering = ''PlainText'' }; $ProgressPreference = ''Continue'''
    $shell = [powershell]::Create()
    $shell.Runspace = $script:runspace
    [void]$shell.AddScript($prepare)
    [void]$shell.Invoke()
    $shell.Dispose()
    try {
        foreach ($module in @($Init['modules'])) {
            if ($module) {
                [void](Invoke-BridgeInRunspace -Command 'Import-Module' -Parameters @{ Name = [string]$module; ErrorAction = 'Stop' })
            }
        }
    } catch {
        $result.ok = $false
        $result.errors = @(ConvertFrom-BridgeCaught -Caught $_)
    }
    $result.output = @(Get-BridgeInfo)
    $result
}

function Assert-BridgeAllowed {
    # Decided before anything runs: the session's list of commands, else no script-running commands.
    param($Info, [string] $Name, [hashtable] $Parameters)
    $resolved = $Info
    if ($Info.CommandType -eq [System.Management.Automation.CommandTypes]::Alias -and $null -ne $Info.ResolvedCommand) {
        $resolved = $Info.ResolvedCommand
    }
    $why = $null
    if ($null -ne $script:allowed) {
        if (-not $script:allowed.ContainsKey([string]$resolved.Name)) {
            $why = "'$Name' is not one of the commands this session allows"
        }
    } elseif (-not $script:allowScript) {
        $kind = $resolved.CommandType
        if ($script:scriptCommands.ContainsKey([string]$resolved.Name)) {
            $why = "'$Name' runs text as code or changes what a command name means; a session allows it only with allowScript"
        } elseif ($kind -eq [System.Management.Automation.CommandTypes]::Application -or $kind -eq [System.Management.Automation.CommandTypes]::ExternalScript -or $kind -eq [System.Management.Automation.CommandTypes]::Script) {
            $why = "'$Name' is a $kind; a session runs programs and script files only with allowScript"
        } elseif ($null -ne $Parameters) {
            foreach ($key in @('Path', 'LiteralPath', 'Destination', 'PSPath')) {
                foreach ($value in @($Parameters[$key])) {
                    if ($value -is [string] -and $value -match '^\s*(function|alias|variable)\s*:') {
                        $why = "'$Name' on '$value' would change what a name means; a session allows it only with allowScript"
                    }
                }
            }
        }
    }
    if ($null -ne $why) {
        $exception = New-Object System.InvalidOperationException -ArgumentList @("Refused before running: $why.")
        $record = New-Object System.Management.Automation.ErrorRecord -ArgumentList @($exception, 'BridgeCommandRefused', [System.Management.Automation.ErrorCategory]::PermissionDenied, $Name)
        throw $record
    }
}

function Resolve-BridgeCommand {
    param([string] $Name)
    $info = $script:commands[$Name]
    if ($null -eq $info) {
        $found = Invoke-BridgeInRunspace -Command 'Get-Command' -Parameters @{ Name = $Name; ErrorAction = 'Stop' }
        if ($found.Count -ne 1) {
            throw "The command name '$Name' matches $($found.Count) commands; name exactly one."
        }
        $info = $found[0]
        $script:commands[$Name] = $info
    }
    $info
}

$script:progressSource = @'
using System;
using System.IO;
using System.Management.Automation;
using System.Text;

/// <summary>Sends each progress record of a running call at once, as one frame on the bridge's channel.</summary>
public sealed class PSBridgeChannelProgress
{
    private readonly Stream stream;
    private readonly object gate;
    private readonly string prefix;

    public PSBridgeChannelProgress(Stream stream, object gate, string id)
    {
        this.stream = stream;
        this.gate = gate;
        this.prefix = "G" + id + "\n";
    }

    public void Attach(PSDataCollection<ProgressRecord> records)
    {
        records.DataAdded += this.OnAdded;
    }

    private void OnAdded(object sender, DataAddedEventArgs e)
    {
        PSDataCollection<ProgressRecord> records = (PSDataCollection<ProgressRecord>)sender;
        ProgressRecord r = records[e.Index];
        StringBuilder b = new StringBuilder(this.prefix);
        b.Append("{\"activityId\":").Append(r.ActivityId);
        b.Append(",\"parentActivityId\":").Append(r.ParentActivityId);
        b.Append(",\"activity\":"); Quote(b, r.Activity);
        b.Append(",\"statusDescription\":"); Quote(b, r.StatusDescription);
        b.Append(",\"currentOperation\":"); Quote(b, r.CurrentOperation);
        b.Append(",\"percentComplete\":").Append(r.PercentComplete);
        b.Append(",\"secondsRemaining\":").Append(r.SecondsRemaining);
        b.Append(",\"recordType\":"); Quote(b, r.RecordType.ToString());
        b.Append('}');
        byte[] body = new UTF8Encoding(false).GetBytes(b.ToString());
        byte[] length = BitConverter.GetBytes(body.Length);
        lock (this.gate)
        {
            this.stream.Write(length, 0, 4);
            this.stream.Write(body, 0, body.Length);
            this.stream.Flush();
        }
    }

    private static void Quote(StringBuilder b, string text)
    {
        if (text == null) { b.Append("null"); return; }
        b.Append('"');
        foreach (char c in text)
        {
            if (c == '"' || c == '\\') { b.Append('\\').Append(c); }
            else if (c < ' ' || char.IsSurrogate(c)) { b.Append("\\u").Append(((int)c).ToString("x4")); }
            else { b.Append(c); }
        }
        b.Append('"');
    }
}
'@

function Enable-BridgeLiveProgress {
    # Forwards progress while the call runs, as "G<id>" frames (compiled once, on first use).
    param($Shell, [string] $Id)
    if ($null -eq ('PSBridgeChannelProgress' -as [type])) {
        Add-Type -TypeDefinition $script:progressSource -Language CSharp
    }
    $forwarder = New-Object PSBridgeChannelProgress -ArgumentList @($script:pipe, $script:writeLock, $Id)
    $forwarder.Attach($Shell.Streams.Progress)
}

function Set-BridgeCurrent {
    # Publishes the running PowerShell instance to the reader thread (which may stop it); false when a stop
    # for this call, or the end of the channel, came first.
    param($Shell, [string] $Id)
    [System.Threading.Monitor]::Enter($script:shared)
    try {
        if ($null -ne $Shell -and ($script:shared['Stopped'].ContainsKey($Id) -or $script:shared['Closed'])) {
            return $false
        }
        $script:shared['Current'] = $Shell
        $script:shared['CurrentId'] = $Id
        return $true
    } finally {
        [System.Threading.Monitor]::Exit($script:shared)
    }
}

function Invoke-BridgeRequest {
    param([string] $Id, [hashtable] $Request)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $result = New-BridgeResult -Id $Id
    $shell = $null
    $output = [System.Collections.ObjectModel.Collection[psobject]]::new()
    $script:budget = $script:maxValues
    if ($Request['maxValues']) {
        $script:budget = [int]$Request['maxValues']
    }
    $limit = $script:budget
    try {
        $commandName = [string]$Request['command']
        $parameters = $Request['parameters']
        if ($parameters -isnot [hashtable]) {
            $parameters = @{}
        }
        $info = Resolve-BridgeCommand -Name $commandName
        Assert-BridgeAllowed -Info $info -Name $commandName -Parameters $parameters
        $shell = [powershell]::Create()
        $shell.Runspace = $script:runspace
        # By name, not by CommandInfo: a FunctionInfo added directly runs outside its module's scope.
        [void]$shell.AddCommand($commandName)
        foreach ($name in $parameters.Keys) {
            $type = $null
            $metadata = $null
            if ($info.Parameters) {
                $metadata = $info.Parameters[$name]
            }
            if ($null -ne $metadata) {
                $type = $metadata.ParameterType
            }
            $value = ConvertTo-BridgeParameter -Value $parameters[$name] -Type $type
            [void]$shell.AddParameter([string]$name, $value)
        }
        # Without an error action the command's own rules apply: non-terminating errors stay so.
        if ($Request['errorAction']) {
            [void]$shell.AddParameter('ErrorAction', [string]$Request['errorAction'])
        }
        if ($Request['verbose']) {
            [void]$shell.AddParameter('Verbose', $true)
        }
        if ($Request['liveProgress']) {
            Enable-BridgeLiveProgress -Shell $shell -Id $Id
        }
        # A stop that came before the command started: answer without running it. (Throwing
        # PipelineStoppedException here would stop the dispatcher's own pipeline.)
        $collected = [System.Management.Automation.PSDataCollection[psobject]]::new()
        try {
            if (Set-BridgeCurrent -Shell $shell -Id $Id) {
                if ($null -ne $script:commandHost) {
                    $script:commandHost.ExitCode = $null
                }
                $shell.Invoke($null, $collected)
            } else {
                $result.stopped = $true
                $result.ok = $false
                $result.errors = @(New-BridgeFailure -ErrorId 'BridgeStopped' -Category OperationStopped -Message 'The command was stopped before it started.')
            }
        } finally {
            [void](Set-BridgeCurrent -Shell $null -Id $null)
            if ($shell.InvocationStateInfo.State -eq [System.Management.Automation.PSInvocationState]::Stopped) {
                $result.stopped = $true
            }
            if ($null -ne $script:commandHost -and $null -ne $script:commandHost.ExitCode) {
                $result.exitCode = [int]$script:commandHost.ExitCode
                $script:commandHost.ExitCode = $null
                if ($result.exitCode -ne 0) {
                    $result.ok = $false
                    $result.errors = @($result.errors) + @(New-BridgeFailure -ErrorId 'BridgeCommandExit' -Category NotSpecified -Target $commandName -Message "$commandName ended with exit $($result.exitCode).")
                }
            }
            foreach ($item in $collected) {
                $output.Add($item)
            }
        }
    } catch {
        $result.ok = $false
        $result.errors = @(ConvertFrom-BridgeCaught -Caught $_)
    }
    $items = [System.Collections.Generic.List[object]]::new()
    $script:segments.Clear()
    foreach ($item in $output) {
        $items.Add((ConvertTo-BridgeValue -Value $item -Depth $script:depth -Path @('output', $items.Count)))
        if ($script:budget -lt 0) {
            break
        }
    }
    if ($script:budget -lt 0) {
        $items.Clear()
        $script:segments.Clear()
        $result.ok = $false
        $result.errors = @($result.errors) + @(New-BridgeFailure -ErrorId 'BridgeLimitExceeded,maxValues' -Category LimitsExceeded -Message "The output has more than $limit values ($($output.Count) objects; maxValues); raise maxValues or ask for less output. Nothing of the output was returned.")
    }
    $result.output = $items.ToArray()
    if ($null -ne $shell) {
        $streams = $shell.Streams
        if ($streams.Error.Count -gt 0) {
            $errors = [System.Collections.Generic.List[object]]::new()
            foreach ($record in $streams.Error) {
                $errors.Add((ConvertTo-BridgeError -Record $record))
            }
            foreach ($record in $result.errors) {
                $errors.Add($record)
            }
            $result.errors = $errors.ToArray()
        }
        if ($streams.Warning.Count -gt 0) {
            $result.warnings = @(foreach ($record in $streams.Warning) { $record.Message })
        }
        if ($streams.Verbose.Count -gt 0) {
            $result.verbose = @(foreach ($record in $streams.Verbose) { $record.Message })
        }
        if ($streams.Debug.Count -gt 0) {
            $result.debug = @(foreach ($record in $streams.Debug) { $record.Message })
        }
        if ($streams.Information.Count -gt 0) {
            $result.information = @(foreach ($record in $streams.Information) {
                    [ordered]@{
                        message       = [string]$record.MessageData
                        tags          = @($record.Tags)
                        source        = $record.Source
                        timeGenerated = ConvertTo-BridgeDate -Date $record.TimeGenerated
                    }
                })
        }
        if ($streams.Progress.Count -gt 0) {
            $result.progress = @(foreach ($record in $streams.Progress) {
                    [ordered]@{
                        activityId        = $record.ActivityId
                        parentActivityId  = $record.ParentActivityId
                        activity          = $record.Activity
                        statusDescription = $record.StatusDescription
                        currentOperation  = $record.CurrentOperation
                        percentComplete   = $record.PercentComplete
                        secondsRemaining  = $record.SecondsRemaining
                        recordType        = $record.RecordType.ToString()
                    }
                })
        }
        $shell.Dispose()
    }
    $result.durationMs = [math]::Round($watch.Elapsed.TotalMilliseconds, 3)
    $result
}

# The reader: its own runspace and thread, so that stop requests and the end of the channel are seen while
# a command runs. Calls and pings go to the queue; the main thread runs them one at a time.
$script:readerScript = @'
param($Pipe, $Queue, $Shared)
# This runspace has no commands (an empty session state): .NET and the language only.
$encoding = [System.Text.UTF8Encoding]::new($false)
$header = [byte[]]::new(4)
function Read-Exact {
    param([byte[]] $Buffer, [int] $Count)
    $offset = 0
    while ($offset -lt $Count) {
        $read = $Pipe.Read($Buffer, $offset, $Count - $offset)
        if ($read -le 0) {
            return $false
        }
        $offset += $read
    }
    return $true
}
try {
    while ($true) {
        if (-not (Read-Exact -Buffer $header -Count 4)) {
            break
        }
        $length = [System.BitConverter]::ToInt32($header, 0)
        if ($length -lt 1) {
            break
        }
        $body = $null
        if ($length -ge $Shared['KeepBytes']) {
            # A large frame: into the buffer of the last one when the main thread has given it back.
            [System.Threading.Monitor]::Enter($Shared)
            try {
                $body = $Shared['Spare']
                $Shared['Spare'] = $null
            } finally {
                [System.Threading.Monitor]::Exit($Shared)
            }
            if ($null -ne $body -and $body.Length -lt $length) {
                $body = $null
            }
        }
        if ($null -eq $body) {
            $body = [byte[]]::new($length)
        }
        if (-not (Read-Exact -Buffer $body -Count $length)) {
            break
        }
        if ($body[0] -eq 68) {
            # "D": a call with raw segments, decoded on the main thread (which gives a large buffer back).
            $Queue.Add(@(, $body) + $length)
            $body = $null
            continue
        }
        $text = $encoding.GetString($body, 0, $length)
        $body = $null
        if ($text[0] -eq 'S') {
            $id = $text.Substring(1)
            [System.Threading.Monitor]::Enter($Shared)
            try {
                $Shared['Stopped'][$id] = $true
                if ($Shared['CurrentId'] -eq $id -and $null -ne $Shared['Current']) {
                    [void]$Shared['Current'].BeginStop($null, $null)
                }
            } catch {
                $null = $_
            } finally {
                [System.Threading.Monitor]::Exit($Shared)
            }
            continue
        }
        $Queue.Add($text)
    }
} catch {
    [System.Console]::Error.WriteLine('bridge channel reader: ' + $_.Exception.Message)
}
# The channel ended: Node is gone or disposed the session. Stop what runs, let the main thread end, and
# end the process after the grace period if the command does not stop.
[System.Threading.Monitor]::Enter($Shared)
try {
    $Shared['Closed'] = $true
    if ($null -ne $Shared['Current']) {
        [void]$Shared['Current'].BeginStop($null, $null)
    }
} catch {
    $null = $_
} finally {
    [System.Threading.Monitor]::Exit($Shared)
}
$Queue.Add('E')
[System.Threading.Thread]::Sleep([int]$Shared['GraceMs'])
[System.Environment]::Exit(4)
'@

# After this long without a request, the buffer kept for large requests is let go.
$script:idleMs = 30000

function Set-BridgeSpare {
    # The buffer the reader reads the next large request into: the last large request's, given back once it
    # is decoded, or $null to let it go.
    param([byte[]] $Buffer)
    [System.Threading.Monitor]::Enter($script:shared)
    try {
        $script:shared['Spare'] = $Buffer
    } finally {
        [System.Threading.Monitor]::Exit($script:shared)
    }
}

function Start-BridgeReader {
    $state = [System.Management.Automation.Runspaces.InitialSessionState]::Create()
    $state.LanguageMode = [System.Management.Automation.PSLanguageMode]::FullLanguage
    $script:readerRunspace = [runspacefactory]::CreateRunspace($state)
    $script:readerRunspace.Open()
    $script:readerShell = [powershell]::Create()
    $script:readerShell.Runspace = $script:readerRunspace
    [void]$script:readerShell.AddScript($script:readerScript).AddArgument($script:pipe).AddArgument($script:queue).AddArgument($script:shared)
    $script:readerHandle = $script:readerShell.BeginInvoke()
}

$stdin = New-Object System.IO.StreamReader -ArgumentList @([Console]::OpenStandardInput(), $script:utf8, $false, 65536)
$first = $stdin.ReadLine()
if ($null -eq $first) {
    exit 0
}
$init = Read-BridgeLine -Line $first
$script:queue = New-Object 'System.Collections.Concurrent.BlockingCollection[object]'
# Shared with the reader. KeepBytes: requests of at least this size are read into a kept buffer (Spare).
$script:shared = [hashtable]::Synchronized(@{ Stopped = [hashtable]::Synchronized(@{}); Current = $null; CurrentId = $null; Closed = $false; GraceMs = 5000; Spare = $null; KeepBytes = 1048576 })
if ($init['stopGraceMs']) {
    $script:shared['GraceMs'] = [int]$init['stopGraceMs']
}
$script:pipe = New-Object System.IO.Pipes.NamedPipeClientStream -ArgumentList @('.', [string]$init['pipe'], [System.IO.Pipes.PipeDirection]::InOut, [System.IO.Pipes.PipeOptions]::Asynchronous)
$script:pipe.Connect(30000)
# Writes strings as UTF-8 straight to the channel, in 64 KiB pieces (the channel stays open when it is done).
$script:frameWriter = New-Object System.IO.StreamWriter -ArgumentList @($script:pipe, $script:utf8, 65536, $true)
Write-BridgeText -Body ('A' + [string]$init['token'])
Start-BridgeReader
Write-BridgeResult -Result (Initialize-Bridge -Init $init)

while ($true) {
    $item = $null
    while (-not $script:queue.TryTake([ref]$item, $script:idleMs)) {
        # Idle: the buffer kept for large requests goes (for the garbage collector to take when it runs).
        Set-BridgeSpare -Buffer $null
    }
    $data = $null
    if ($item -is [object[]]) {
        $data = [byte[]]$item[0]
        $dataLength = [int]$item[1]
        $newline = [System.Array]::IndexOf($data, [byte]10, 0, $dataLength)
        if ($newline -lt 0) {
            $newline = $dataLength
        }
        $text = 'D' + $script:utf8.GetString($data, 1, $newline - 1)
    } else {
        $text = [string]$item
    }
    $item = $null
    $kind = $text.Substring(0, 1)
    if ($kind -eq 'E') {
        break
    }
    $newline = $text.IndexOf("`n")
    if ($newline -lt 0) {
        $id = $text.Substring(1)
        $json = ''
    } else {
        $id = $text.Substring(1, $newline - 1)
        $json = $text.Substring($newline + 1)
    }
    $text = $null
    if ($kind -eq 'P') {
        $result = New-BridgeResult -Id $id
        $result.output = @(Get-BridgeInfo)
    } else {
        $request = $null
        try {
            if ($null -ne $data) {
                $request = Read-BridgeSegmented -Data $data -Length $dataLength
            } else {
                $request = Read-BridgeJson -Json $json
            }
            if ($request -isnot [hashtable]) {
                throw 'the request is not a JSON object'
            }
        } catch {
            $result = New-BridgeResult -Id $id
            $result.ok = $false
            $result.errors = @(New-BridgeFailure -ErrorId 'BridgeRequestUnreadable' -Category InvalidData -Message "The request cannot be read: $($_.Exception.Message)")
            $request = $null
        }
        $json = $null
        if ($null -ne $data -and $data.Length -ge $script:shared['KeepBytes']) {
            Set-BridgeSpare -Buffer $data
        }
        $data = $null
        if ($null -ne $request) {
            $result = Invoke-BridgeRequest -Id $id -Request $request
        }
        $request = $null
    }
    try {
        Write-BridgeResult -Result $result
    } catch {
        if (-not $script:pipe.IsConnected) {
            break
        }
        $fallback = New-BridgeResult -Id $id
        $fallback.ok = $false
        $fallback.errors = @(ConvertFrom-BridgeCaught -Caught $_)
        Write-BridgeResult -Result $fallback
    }
    $result = $null
}
$script:runspace.Dispose()
exit 0

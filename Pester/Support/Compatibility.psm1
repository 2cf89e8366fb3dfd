<#
    Windows PowerShell 5.1 compatibility checks on PowerShell's own AST.

    Find-UnsupportedSyntax parses files (or a script text) with the PowerShell 7 parser - the only one that
    understands the newer constructs - and reports each construct Windows PowerShell 5.1 cannot parse or runs
    differently. Findings are objects {Path, Line, Column, Construct, Text}; Construct is one of:

      TernaryOperator              $a ? $b : $c                                  (7.0)
      NullCoalescingOperator       $a ?? $b                                      (7.0)
      NullCoalescingAssignment     $a ??= $b                                     (7.0)
      NullConditionalMemberAccess  ${a}?.Name, ${a}?.Method()                    (7.1)
      NullConditionalIndex         ${a}?[0]                                      (7.1)
      PipelineChainOperator        cmd1 && cmd2, cmd1 || cmd2                    (7.0)
      ForEachObjectParallel        ForEach-Object / % / foreach -Parallel (and -ThrottleLimit, -TimeoutSeconds,
                                   -AsJob, -UseNewRunspace, which exist only with it)       (7.0)
      CleanBlock                   clean { } in a function or script block      (7.3)
      BackgroundOperator           cmd &                                         (6.0)
      GenericMethodCall            $x.Method[int]()                              (7.3)
      ReplaceScriptBlock           'a' -replace 'x', { $_.Value }                (6.1)
      UnicodeEscape                "`u{263A}"                                    (6.0; 5.1 prints u{263A})
      EscapeCharacterEscape        "`e[0m"                                       (6.0; 5.1 prints e[0m)
      NumericLiteralSuffix         1u, 1y, 1uy, 1s, 1us, 1ul, 1n                 (6.2)
      BinaryNumberLiteral          0b1010                                        (7.0)
      ValidationErrorMessage       [ValidateScript({...}, ErrorMessage = '...')] (6.0)
      ValidateRangeKind            [ValidateRange('Positive')]                   (6.1)
      ArgumentCompletionsAttribute [ArgumentCompletions('a', 'b')]               (6.0)
      PS7Attribute                 [ValidateNotNullOrWhiteSpace()]              (7.4)
      PS6Command                   Join-String, Test-Json, Get-Error, ...        (6.0+)
      PS6Parameter                 ConvertFrom-Json -AsHashtable, Get-Content -AsByteStream, ... (6.0+)
      PS6Encoding                  -Encoding utf8NoBOM / utf8BOM / ansi          (6.0+; 5.1 rejects the names)
      PS6AutomaticVariable         $IsWindows, $IsLinux, $IsMacOS, $IsCoreCLR, $PSStyle (6.0+; $null in 5.1)
      NetFrameworkApi              a .NET type or member .NET Framework 4.6.2 lacks: [System.IO.Path]::GetRelativePath,
                                   [IO.File]::Move(a, b, $true), [Convert]::ToHexString, [SHA256]::HashData,
                                   [RandomNumberGenerator]::GetBytes(16), [Text.Encoding]::Latin1, [Math]::Clamp,
                                   [System.Text.Json.*], [System.Buffers.*], IncrementalHash (4.7), RuntimeInformation
                                   (4.7.1), [System.Net.Http.*] without Add-Type -AssemblyName System.Net.Http,
                                   [StringSplitOptions]::TrimEntries, $file.MoveTo($dest, $true), $text.ReplaceLineEndings()
      SplitOnString                $s.Split('::') - a string of several characters: 5.1 (no Split(string)) splits on
                                   EACH of its characters; use -split with a regex or Split([string[]]@('::'), 'None')
      StringComparisonOverload     $s.Contains('x', [StringComparison]::OrdinalIgnoreCase), $s.Replace('a', 'b',
                                   [StringComparison]::...), $s.GetHashCode([StringComparison]::...) (.NET Core 2.0+)
      JsonArrayNotEnumerated       @($json | ConvertFrom-Json), $json | ConvertFrom-Json | Where-Object ...: 5.1 writes a
                                   JSON array as ONE object; unroll it with | ForEach-Object { $_ } first
      FileEncodingDiffers          text written with an encoding that differs between the editions: cmd > file, Out-File,
                                   Set-Content, Add-Content, Export-Csv without -Encoding (5.1: UTF-16LE or ANSI; 7:
                                   UTF-8), -Encoding UTF8 on them (5.1 writes a BOM, 7 does not), -Encoding Default,
                                   String, Unknown or Byte (gone in 7), Tee-Object -FilePath, [Text.Encoding]::Default
      JsonDepthUnstated            ConvertTo-Json without -Depth: both editions turn levels below 2 into strings (7 warns,
                                   5.1 does not); state the depth the document needs
      NativeStderrRedirect         native.exe 2>&1 (or 2> / *>) in a function that does not set $ErrorActionPreference
                                   to 'Continue' before it: under a caller's 'Stop', 5.1 turns the first redirected
                                   standard error line into a terminating error (7.2+ does not)
      ParseError                   the file does not parse at all
#>
Set-StrictMode -Version 2.0

$script:Ps6Commands = @(
    'ConvertFrom-Markdown', 'Get-Error', 'Get-MarkdownOption', 'Get-Uptime', 'Join-String', 'Remove-Alias',
    'Remove-Service', 'Set-MarkdownOption', 'Show-Markdown', 'Test-Json', 'ConvertFrom-CliXml', 'ConvertTo-CliXml',
    'Get-SecureRandom', 'Get-PSSubsystem', 'Get-ExperimentalFeature', 'Enable-ExperimentalFeature', 'Disable-ExperimentalFeature'
)

# Parameters added after 5.1 to commands that 5.1 has, by command (aliases of the command included).
$script:Ps6Parameters = @{
    'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'NoEnumerate', 'DateKind')
    'ConvertTo-Json'   = @('AsArray', 'EnumsAsStrings', 'EscapeHandling')
    'Get-Content'      = @('AsByteStream')
    'gc'               = @('AsByteStream')
    'cat'              = @('AsByteStream')
    'type'             = @('AsByteStream')
    'Set-Content'      = @('AsByteStream')
    'Add-Content'      = @('AsByteStream')
    'Select-String'    = @('Raw', 'NoEmphasis')
    'sls'              = @('Raw', 'NoEmphasis')
    'Invoke-WebRequest' = @('SkipCertificateCheck', 'Authentication', 'Token', 'SslProtocol', 'SkipHeaderValidation', 'Form', 'Resume', 'MaximumRetryCount', 'RetryIntervalSec', 'SkipHttpErrorCheck', 'AllowUnencryptedAuthentication', 'NoProxy', 'CustomMethod')
    'iwr'              = @('SkipCertificateCheck', 'Authentication', 'Token', 'SslProtocol', 'SkipHeaderValidation', 'Form', 'Resume', 'MaximumRetryCount', 'RetryIntervalSec', 'SkipHttpErrorCheck', 'AllowUnencryptedAuthentication', 'NoProxy', 'CustomMethod')
    'Invoke-RestMethod' = @('SkipCertificateCheck', 'Authentication', 'Token', 'SslProtocol', 'SkipHeaderValidation', 'Form', 'Resume', 'MaximumRetryCount', 'RetryIntervalSec', 'SkipHttpErrorCheck', 'AllowUnencryptedAuthentication', 'NoProxy', 'CustomMethod', 'StatusCodeVariable', 'ResponseHeadersVariable', 'FollowRelLink', 'MaximumFollowRelLink')
    'irm'              = @('SkipCertificateCheck', 'Authentication', 'Token', 'SslProtocol', 'SkipHeaderValidation', 'Form', 'Resume', 'MaximumRetryCount', 'RetryIntervalSec', 'SkipHttpErrorCheck', 'AllowUnencryptedAuthentication', 'NoProxy', 'CustomMethod', 'StatusCodeVariable', 'ResponseHeadersVariable', 'FollowRelLink', 'MaximumFollowRelLink')
    'Test-Connection'  = @('TargetName', 'Ping', 'Repeat', 'MtuSize', 'Traceroute', 'TcpPort', 'IPv4', 'IPv6', 'ResolveDestination')
    'Get-ChildItem'    = @('FollowSymlink')
    'Export-Csv'       = @('UseQuotes', 'QuoteFields')
    'ConvertTo-Csv'    = @('UseQuotes', 'QuoteFields')
    'Start-Process'    = @('Environment')
    'Get-Date'         = @('AsUTC', 'UnixTimeSeconds')
    'Sort-Object'      = @('Top', 'Bottom', 'Stable')
    'sort'             = @('Top', 'Bottom', 'Stable')
    'Get-Random'       = @('Shuffle')
    'ConvertFrom-SecureString' = @('AsPlainText')
    'Import-Module'    = @('UseWindowsPowerShell', 'SkipEditionCheck')
    'ipmo'             = @('UseWindowsPowerShell', 'SkipEditionCheck')
    'Start-Job'        = @('WorkingDirectory')
    'Where-Object'     = @('Not')
    'Split-Path'       = @('Extension', 'LeafBase')
}

$script:ParallelParameters = @('parallel', 'throttlelimit', 'timeoutseconds', 'asjob', 'usenewrunspace')
$script:ForEachObjectNames = @('ForEach-Object', '%', 'foreach', 'Microsoft.PowerShell.Core\ForEach-Object')
$script:Ps6Encodings = @('utf8NoBOM', 'utf8BOM', 'ansi')
$script:Ps6Variables = @('IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'PSStyle')
$script:NewNumberSuffixes = @('u', 'y', 'uy', 's', 'us', 'ul', 'n')

# .NET types .NET Framework 4.6.2 lacks (full names; a name ending in '.' covers the namespace).
$script:CoreOnlyTypes = @(
    'System.Text.Json.', 'System.Buffers.', 'System.IO.Enumeration.', 'System.Threading.Channels.', 'System.Formats.',
    'System.Net.Http.Json.', 'System.Span', 'System.ReadOnlySpan', 'System.Memory', 'System.ReadOnlyMemory',
    'System.HashCode', 'System.Index', 'System.Range', 'System.Half', 'System.DateOnly', 'System.TimeOnly', 'System.Int128',
    'System.UInt128', 'System.Text.Rune', 'System.IO.EnumerationOptions', 'System.IO.MatchType', 'System.IO.MatchCasing',
    'System.IO.UnixFileMode', 'System.MathF', 'System.Security.Cryptography.IncrementalHash',
    'System.Security.Cryptography.CryptographicOperations', 'System.Runtime.InteropServices.RuntimeInformation',
    'System.Runtime.InteropServices.OSPlatform', 'System.Collections.Generic.PriorityQueue', 'System.Threading.PeriodicTimer'
)
# Static members .NET Framework 4.6.2 lacks, by type; 'Name/n' means only the overload with n arguments.
$script:CoreOnlyMembers = @{
    'System.IO.Path'                                  = @('GetRelativePath', 'Join', 'TrimEndingDirectorySeparator', 'EndsInDirectorySeparator', 'IsPathFullyQualified', 'Exists', 'GetFullPath/2')
    'System.IO.File'                                  = @('Move/3', 'ReadAllTextAsync', 'ReadAllBytesAsync', 'ReadAllLinesAsync', 'ReadLinesAsync', 'WriteAllTextAsync', 'WriteAllBytesAsync', 'WriteAllLinesAsync', 'AppendAllTextAsync', 'AppendAllLinesAsync', 'CreateSymbolicLink', 'ResolveLinkTarget', 'GetUnixFileMode', 'SetUnixFileMode', 'OpenHandle')
    'System.IO.Directory'                             = @('CreateSymbolicLink', 'ResolveLinkTarget', 'CreateTempSubdirectory', 'GetUnixFileMode', 'SetUnixFileMode')
    'System.Convert'                                  = @('ToHexString', 'ToHexStringLower', 'FromHexString', 'TryFromBase64String', 'TryToBase64Chars')
    'System.Security.Cryptography.RandomNumberGenerator' = @('GetBytes', 'Fill', 'GetInt32', 'GetHexString', 'GetString', 'GetItems', 'Shuffle')
    'System.Text.Encoding'                            = @('Latin1')
    'System.Environment'                              = @('ProcessId', 'ProcessPath', 'IsPrivilegedProcess')
    'System.OperatingSystem'                          = @('IsWindows', 'IsLinux', 'IsMacOS', 'IsFreeBSD', 'IsAndroid', 'IsIOS', 'IsBrowser', 'IsWindowsVersionAtLeast', 'IsOSPlatform')
    'System.Math'                                     = @('Clamp', 'BitIncrement', 'BitDecrement', 'CopySign', 'FusedMultiplyAdd', 'ILogB', 'ScaleB', 'Log2', 'Cbrt', 'Acosh', 'Asinh', 'Atanh')
    'System.Random'                                   = @('Shared')
    'System.ArgumentNullException'                    = @('ThrowIfNull')
    'System.ArgumentException'                        = @('ThrowIfNullOrEmpty', 'ThrowIfNullOrWhiteSpace')
    'System.ObjectDisposedException'                  = @('ThrowIf')
    'System.Guid'                                     = @('CreateVersion7')
    'System.String'                                   = @('Create')
    'System.StringSplitOptions'                       = @('TrimEntries')
}
# Instance methods only .NET (Core) has, whatever the object ('Name/n': with n arguments): FileInfo.MoveTo(dest,
# overwrite), Stream.ReadExactly/ReadAtLeast, String.ReplaceLineEndings, AsSpan/AsMemory.
$script:CoreOnlyInstanceMembers = @('MoveTo/2', 'ReadExactly', 'ReadAtLeast', 'ReplaceLineEndings', 'AsSpan', 'AsMemory')
$script:TextWriters = @('Out-File', 'Set-Content', 'Add-Content', 'Export-Csv', 'sc', 'ac', 'epcsv')
$script:DifferingEncodings = @('utf8', 'default', 'string', 'unknown', 'byte')
$script:TypeAccelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get

function New-CompatibilityFinding {
    param([string] $Path, $Extent, [string] $Construct, [string] $Text)
    if (-not $Text) { $Text = $Extent.Text }
    $Text = ($Text -split "`r?`n")[0].Trim()
    if ($Text.Length -gt 120) { $Text = $Text.Substring(0, 117) + '...' }
    $finding = New-Object -TypeName psobject -Property ([ordered]@{
            Path      = $Path
            Line      = $Extent.StartLineNumber
            Column    = $Extent.StartColumnNumber
            Construct = $Construct
            Text      = $Text
        })
    $finding.PSObject.TypeNames.Insert(0, 'Compatibility.Finding')
    $finding
}

function Test-AstType {
    # Type names rather than type literals, so the module loads even where an AST type is unknown.
    param($Node, [string] $TypeName)
    return $Node.GetType().FullName -eq ('System.Management.Automation.Language.' + $TypeName)
}

function Get-PropertyValue {
    param($Object, [string] $Name)
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function Find-StringEscape {
    # Backtick escapes added in 6.0 inside expandable strings: `e and `u{...}.
    param([string] $Path, $Token)
    $text = $Token.Text
    $i = 0
    $found = @{}
    while ($i -lt $text.Length - 1) {
        if ($text[$i] -eq '`') {
            $next = $text[$i + 1]
            if ($next -ceq 'e' -and -not $found.ContainsKey('EscapeCharacterEscape')) {
                $found['EscapeCharacterEscape'] = $true
                New-CompatibilityFinding -Path $Path -Extent $Token.Extent -Construct 'EscapeCharacterEscape'
            } elseif ($next -ceq 'u' -and $i + 2 -lt $text.Length -and $text[$i + 2] -eq '{' -and -not $found.ContainsKey('UnicodeEscape')) {
                $found['UnicodeEscape'] = $true
                New-CompatibilityFinding -Path $Path -Extent $Token.Extent -Construct 'UnicodeEscape'
            }
            $i += 2
            continue
        }
        $i++
    }
}

function Get-TypeFullName {
    # The full name a type literal stands for: accelerators resolved ([math] -> System.Math), 'System.' assumed
    # where PowerShell assumes it ([IO.Path]), generic and array types by their base type.
    param($TypeName)
    while ($null -ne (Get-PropertyValue $TypeName 'ElementType')) { $TypeName = $TypeName.ElementType }
    if ($null -ne (Get-PropertyValue $TypeName 'GenericArguments')) { $TypeName = $TypeName.TypeName }
    $name = [string]$TypeName.FullName
    $name = $name -replace '`\d+$', ''
    if ($script:TypeAccelerators.ContainsKey($name)) { return $script:TypeAccelerators[$name].FullName -replace '`\d+$', '' }
    if ($name -notmatch '^(System|Microsoft)\.') { return 'System.' + $name }
    return $name
}

function Test-CoreOnlyType {
    param([string] $FullName, [bool] $HasHttpAssembly)
    foreach ($candidate in $script:CoreOnlyTypes) {
        if ($candidate.EndsWith('.')) {
            if ($FullName.StartsWith($candidate, [System.StringComparison]::OrdinalIgnoreCase)) { return $true }
        } elseif ($FullName -eq $candidate) {
            return $true
        }
    }
    if (-not $HasHttpAssembly -and $FullName.StartsWith('System.Net.Http.', [System.StringComparison]::OrdinalIgnoreCase)) { return $true }
    return $false
}

function Test-StringComparisonArgument {
    param($Argument)
    if (-not (Test-AstType $Argument 'MemberExpressionAst') -or -not $Argument.Static) { return $false }
    return (Get-TypeFullName $Argument.Expression.TypeName) -eq 'System.StringComparison'
}

function Test-ErrorPreferenceRelaxed {
    # True when an assignment $ErrorActionPreference = 'Continue' (or 'SilentlyContinue') precedes the node in one of
    # the script blocks around it.
    param($Node)
    $offset = $Node.Extent.StartOffset
    $scope = $Node.Parent
    while ($null -ne $scope) {
        if (Test-AstType $scope 'ScriptBlockAst') {
            $assignments = $scope.FindAll({
                    param($n)
                    (Test-AstType $n 'AssignmentStatementAst') -and (Test-AstType $n.Left 'VariableExpressionAst') -and
                    $n.Left.VariablePath.UserPath -eq 'ErrorActionPreference'
                }, $true)
            foreach ($assignment in $assignments) {
                $value = $assignment.Right.Extent.Text.Trim('''', '"', ' ')
                if ($assignment.Extent.EndOffset -le $offset -and @('Continue', 'SilentlyContinue') -contains $value) { return $true }
            }
        }
        $scope = $scope.Parent
    }
    return $false
}

function Find-InAst {
    param([string] $Path, $Ast, $Tokens)

    foreach ($token in $Tokens) {
        $kind = [string]$token.Kind
        if ($kind -eq 'StringExpandable' -or $kind -eq 'HereStringExpandable') {
            Find-StringEscape -Path $Path -Token $token
        } elseif ($kind -eq 'Number') {
            $text = $token.Text
            if ($text -match '^0[bB][01]') {
                New-CompatibilityFinding -Path $Path -Extent $token.Extent -Construct 'BinaryNumberLiteral'
            } elseif ($text -notmatch '^0[xX]' -and $text -match '([a-zA-Z]+)$') {
                $suffix = $Matches[1].ToLowerInvariant() -replace '(kb|mb|gb|tb|pb)$', ''
                if ($script:NewNumberSuffixes -contains $suffix) {
                    New-CompatibilityFinding -Path $Path -Extent $token.Extent -Construct 'NumericLiteralSuffix'
                }
            } elseif ($text -match '^0[xX][0-9a-fA-F]*([uUyYsSnN][a-zA-Z]*)$') {
                New-CompatibilityFinding -Path $Path -Extent $token.Extent -Construct 'NumericLiteralSuffix'
            }
        }
    }

    $nodes = $Ast.FindAll({ param($n) $true }, $true)
    $hasHttpAssembly = $null -ne $Ast.Find({
            param($n)
            (Test-AstType $n 'CommandAst') -and $n.GetCommandName() -eq 'Add-Type' -and $n.Extent.Text -match 'System\.Net\.Http'
        }, $true)
    foreach ($node in $nodes) {
        $typeName = $node.GetType().Name
        switch ($typeName) {
            'TernaryExpressionAst' {
                New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'TernaryOperator'
            }
            'BinaryExpressionAst' {
                $operator = [string]$node.Operator
                if ($operator -eq 'QuestionQuestion') {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'NullCoalescingOperator'
                } elseif (@('Ireplace', 'Creplace', 'Replace') -contains $operator) {
                    $right = $node.Right
                    if ((Test-AstType $right 'ArrayLiteralAst') -and $right.Elements.Count -ge 2 -and (Test-AstType $right.Elements[1] 'ScriptBlockExpressionAst')) {
                        New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'ReplaceScriptBlock'
                    }
                }
            }
            'AssignmentStatementAst' {
                if ([string]$node.Operator -eq 'QuestionQuestionEquals') {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'NullCoalescingAssignment'
                }
            }
            'FileRedirectionAst' {
                $target = $node.Location
                if (-not ((Test-AstType $target 'VariableExpressionAst') -and $target.VariablePath.UserPath -eq 'null')) {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'FileEncodingDiffers'
                }
            }
            { $_ -eq 'TypeExpressionAst' -or $_ -eq 'TypeConstraintAst' } {
                if (Test-CoreOnlyType -FullName (Get-TypeFullName $node.TypeName) -HasHttpAssembly $hasHttpAssembly) {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'NetFrameworkApi'
                }
            }
            { $_ -eq 'MemberExpressionAst' -or $_ -eq 'InvokeMemberExpressionAst' } {
                if (Get-PropertyValue $node 'NullConditional') {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'NullConditionalMemberAccess'
                }
                $memberName = $null
                if (Test-AstType $node.Member 'StringConstantExpressionAst') { $memberName = $node.Member.Value }
                $arguments = @()
                if ($typeName -eq 'InvokeMemberExpressionAst' -and $null -ne $node.Arguments) { $arguments = @($node.Arguments) }
                if ($node.Static -and $null -ne $memberName -and (Test-AstType $node.Expression 'TypeExpressionAst')) {
                    $owner = Get-TypeFullName $node.Expression.TypeName
                    foreach ($key in $script:CoreOnlyMembers.Keys) {
                        if ($key -ne $owner) { continue }
                        foreach ($entry in $script:CoreOnlyMembers[$key]) {
                            $parts = $entry -split '/'
                            if ($parts[0] -eq $memberName -and ($parts.Count -eq 1 -or [int]$parts[1] -eq $arguments.Count)) {
                                New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'NetFrameworkApi'
                            }
                        }
                    }
                    if ($owner -eq 'System.Text.Encoding' -and $memberName -eq 'Default') {
                        New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'FileEncodingDiffers'
                    }
                    if (@('HashData', 'HashDataAsync') -contains $memberName -and $owner.StartsWith('System.Security.Cryptography.', [System.StringComparison]::OrdinalIgnoreCase)) {
                        New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'NetFrameworkApi'
                    }
                }
                if (-not $node.Static -and $typeName -eq 'InvokeMemberExpressionAst' -and $null -ne $memberName) {
                    foreach ($entry in $script:CoreOnlyInstanceMembers) {
                        $parts = $entry -split '/'
                        if ($parts[0] -eq $memberName -and ($parts.Count -eq 1 -or [int]$parts[1] -eq $arguments.Count)) {
                            New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'NetFrameworkApi'
                        }
                    }
                    if ($memberName -eq 'Split' -and $arguments.Count -ge 1 -and (Test-AstType $arguments[0] 'StringConstantExpressionAst') -and $arguments[0].Value.Length -gt 1) {
                        New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'SplitOnString'
                    }
                    $comparisonAt = @{ 'Contains' = 2; 'Replace' = 3; 'GetHashCode' = 1 }
                    if ($comparisonAt.ContainsKey($memberName) -and $arguments.Count -eq $comparisonAt[$memberName] -and (Test-StringComparisonArgument $arguments[$arguments.Count - 1])) {
                        New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'StringComparisonOverload'
                    }
                }
                $generic = Get-PropertyValue $node 'GenericTypeArguments'
                if ($null -ne $generic -and @($generic).Count -gt 0) {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'GenericMethodCall'
                }
            }
            'IndexExpressionAst' {
                if (Get-PropertyValue $node 'NullConditional') {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'NullConditionalIndex'
                }
            }
            'PipelineChainAst' {
                # Report each operator once: the outermost chain of a && b && c covers the inner ones.
                if (-not (Test-AstType $node.Parent 'PipelineChainAst')) {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'PipelineChainOperator'
                }
            }
            'PipelineAst' {
                if (Get-PropertyValue $node 'Background') {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'BackgroundOperator' -Text ($node.Extent.Text + ' &')
                }
            }
            'ScriptBlockAst' {
                $clean = Get-PropertyValue $node 'CleanBlock'
                if ($null -ne $clean) {
                    New-CompatibilityFinding -Path $Path -Extent $clean.Extent -Construct 'CleanBlock'
                }
            }
            'AttributeAst' {
                $attribute = $node.TypeName.Name -replace 'Attribute$', ''
                if ($attribute -like 'Validate*') {
                    foreach ($named in $node.NamedArguments) {
                        if ($named.ArgumentName -eq 'ErrorMessage') {
                            New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'ValidationErrorMessage'
                        }
                    }
                }
                if ($attribute -eq 'ValidateRange' -and $node.PositionalArguments.Count -eq 1) {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'ValidateRangeKind'
                }
                if ($attribute -eq 'ValidateNotNullOrWhiteSpace') {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'PS7Attribute'
                }
                if ($attribute -eq 'ArgumentCompletions') {
                    New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'ArgumentCompletionsAttribute'
                }
            }
            'VariableExpressionAst' {
                if ($node.VariablePath.IsUnqualified -or $node.VariablePath.IsGlobal -or $node.VariablePath.IsScript) {
                    $name = $node.VariablePath.UserPath -replace '^(global|script):', ''
                    if ($script:Ps6Variables -contains $name) {
                        New-CompatibilityFinding -Path $Path -Extent $node.Extent -Construct 'PS6AutomaticVariable'
                    }
                }
            }
            'CommandAst' {
                Find-InCommand -Path $Path -Command $node -HasHttpAssembly $hasHttpAssembly
            }
        }
    }
}

function Test-NativeCommand {
    # Whether a command that redirects its error stream runs a native program: a name ending in .exe/.cmd/.bat/.com,
    # a bare name PowerShell does not know as a command here, or a command given by an expression (& $exe) without
    # -ErrorAction (which only PowerShell commands take).
    param($Command)
    foreach ($element in $Command.CommandElements) {
        if ((Test-AstType $element 'CommandParameterAst') -and $element.ParameterName -match '^(ErrorAction|EA)$') { return $false }
    }
    $name = $Command.GetCommandName()
    if (-not $name) { return $true }
    if ($name -match '\.(exe|cmd|bat|com)$') { return $true }
    if ($name.Contains('-') -or $name.Contains('\')) { return $false }
    return $null -eq (Get-Command -Name $name -CommandType Alias, Cmdlet, Function -ErrorAction SilentlyContinue)
}

function Find-InCommand {
    param([string] $Path, $Command, [bool] $HasHttpAssembly)
    $stderr = @($Command.Redirections | Where-Object { @('Error', 'All') -contains [string]$_.FromStream })
    if ($stderr.Count -gt 0 -and (Test-NativeCommand $Command) -and -not (Test-ErrorPreferenceRelaxed $Command)) {
        New-CompatibilityFinding -Path $Path -Extent $Command.Extent -Construct 'NativeStderrRedirect'
    }
    $name = $Command.GetCommandName()
    if (-not $name) { return }
    if ($name -eq 'ConvertFrom-Json' -and (Test-AstType $Command.Parent 'PipelineAst')) {
        $elements = @($Command.Parent.PipelineElements)
        $position = [array]::IndexOf($elements, $Command)
        if ($position -eq $elements.Count - 1) {
            $block = $Command.Parent.Parent
            if ((Test-AstType $block 'StatementBlockAst') -and (Test-AstType $block.Parent 'ArrayExpressionAst') -and @($block.Statements).Count -eq 1) {
                New-CompatibilityFinding -Path $Path -Extent $block.Parent.Extent -Construct 'JsonArrayNotEnumerated'
            }
        } else {
            $next = $elements[$position + 1]
            $unrolls = $false
            if ((Test-AstType $next 'CommandAst') -and $script:ForEachObjectNames -contains $next.GetCommandName() -and @($next.CommandElements).Count -eq 2 -and
                (Test-AstType $next.CommandElements[1] 'ScriptBlockExpressionAst') -and $next.CommandElements[1].ScriptBlock.EndBlock.Extent.Text.Trim() -eq '$_') {
                $unrolls = $true
            }
            if (-not $unrolls) {
                New-CompatibilityFinding -Path $Path -Extent $Command.Parent.Extent -Construct 'JsonArrayNotEnumerated'
            }
        }
    }
    $writer = $script:TextWriters -contains $name
    $tee = ($name -eq 'Tee-Object' -or $name -eq 'tee')
    if ($writer -or $tee) {
        $encoding = $null
        $toFile = -not $tee
        for ($i = 1; $i -lt $Command.CommandElements.Count; $i++) {
            $element = $Command.CommandElements[$i]
            if (-not (Test-AstType $element 'CommandParameterAst')) { continue }
            $parameter = $element.ParameterName.ToLowerInvariant()
            if ($tee -and ($parameter -eq 'filepath' -or $parameter -eq 'literalpath' -or $parameter -eq 'path' -or $parameter -eq 'append')) { $toFile = $true }
            if ($parameter.Length -ge 2 -and 'encoding'.StartsWith($parameter)) {
                $argument = $element.Argument
                if ($null -eq $argument -and $i + 1 -lt $Command.CommandElements.Count) { $argument = $Command.CommandElements[$i + 1] }
                $encoding = ''
                if ($null -ne $argument -and (Test-AstType $argument 'StringConstantExpressionAst')) { $encoding = $argument.Value.ToLowerInvariant() }
            }
        }
        if ($toFile -and ($null -eq $encoding -or $tee -or $script:DifferingEncodings -contains $encoding)) {
            New-CompatibilityFinding -Path $Path -Extent $Command.Extent -Construct 'FileEncodingDiffers'
        }
    }
    if ($name -eq 'ConvertTo-Json') {
        $depthGiven = $false
        foreach ($element in $Command.CommandElements) {
            if ((Test-AstType $element 'CommandParameterAst') -and $element.ParameterName.Length -ge 1 -and 'depth'.StartsWith($element.ParameterName.ToLowerInvariant())) { $depthGiven = $true }
        }
        if (-not $depthGiven) {
            New-CompatibilityFinding -Path $Path -Extent $Command.Extent -Construct 'JsonDepthUnstated'
        }
    }
    if ($name -eq 'New-Object') {
        $typeArgument = $null
        for ($i = 1; $i -lt $Command.CommandElements.Count; $i++) {
            $element = $Command.CommandElements[$i]
            if (Test-AstType $element 'CommandParameterAst') {
                if ($element.ParameterName -match '^T' -and $i + 1 -lt $Command.CommandElements.Count) { $typeArgument = $Command.CommandElements[$i + 1] }
                if ($element.ParameterName -notmatch '^T') { $i++ }
                break
            }
            $typeArgument = $element
            break
        }
        if ($null -ne $typeArgument -and (Test-AstType $typeArgument 'StringConstantExpressionAst')) {
            $typeText = $typeArgument.Value -replace '\[.*$', ''
            if ($typeText -notmatch '^(System|Microsoft)\.') { $typeText = 'System.' + $typeText }
            if (Test-CoreOnlyType -FullName $typeText -HasHttpAssembly $HasHttpAssembly) {
                New-CompatibilityFinding -Path $Path -Extent $Command.Extent -Construct 'NetFrameworkApi'
            }
        }
    }
    if ($script:Ps6Commands -contains $name) {
        New-CompatibilityFinding -Path $Path -Extent $Command.Extent -Construct 'PS6Command'
    }
    $isForEach = $script:ForEachObjectNames -contains $name
    $newParameters = @()
    foreach ($key in $script:Ps6Parameters.Keys) {
        if ($key -eq $name) { $newParameters = @($script:Ps6Parameters[$key]) }
    }
    $elements = $Command.CommandElements
    $parallel = $false
    for ($i = 1; $i -lt $elements.Count; $i++) {
        $element = $elements[$i]
        if (-not (Test-AstType $element 'CommandParameterAst')) { continue }
        $parameter = $element.ParameterName.ToLowerInvariant()
        if ($isForEach -and -not $parallel -and $parameter.Length -ge 2) {
            foreach ($candidate in $script:ParallelParameters) {
                if ($candidate.StartsWith($parameter)) {
                    $parallel = $true
                    New-CompatibilityFinding -Path $Path -Extent $Command.Extent -Construct 'ForEachObjectParallel'
                    break
                }
            }
        }
        if ($newParameters -contains $parameter) {
            New-CompatibilityFinding -Path $Path -Extent $Command.Extent -Construct 'PS6Parameter' -Text ($name + ' -' + $element.ParameterName)
        }
        if ($parameter -eq 'encoding') {
            $argument = $element.Argument
            if ($null -eq $argument -and $i + 1 -lt $elements.Count) { $argument = $elements[$i + 1] }
            if ($null -ne $argument -and (Test-AstType $argument 'StringConstantExpressionAst') -and $script:Ps6Encodings -contains $argument.Value) {
                New-CompatibilityFinding -Path $Path -Extent $Command.Extent -Construct 'PS6Encoding' -Text ($name + ' -Encoding ' + $argument.Value)
            }
        }
    }
}

function Get-ScriptSyntax {
    <#
    .SYNOPSIS
        Parses a PowerShell file or script text; returns {Path, Ast, Tokens, Errors, ConfigurationAsFunction}.
    .DESCRIPTION
        The DSC 'Configuration' keyword needs the DSC schema store, which PowerShell 7 lacks off Windows: the
        parser then fails on every configuration, however well formed. When a text has Configuration keywords
        and does not parse, it is parsed again with each keyword replaced by 'function' (padded, so lines and
        columns stay), which checks the rest of its syntax; ConfigurationAsFunction says this happened. Resource
        property values are then read in command mode: an operator in a value is seen only in parentheses.
    .PARAMETER Path
        The file to parse.
    .PARAMETER ScriptDefinition
        A script text to parse instead (reported with Path '<script>').
    .EXAMPLE
        (Get-ScriptSyntax -Path .\Examples\Config.ps1).Errors
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0)]
        [string] $Path,

        [Parameter(ParameterSetName = 'ScriptDefinition', Mandatory = $true)]
        [string] $ScriptDefinition
    )
    if ($PSCmdlet.ParameterSetName -eq 'Path') {
        $resolved = (Resolve-Path -LiteralPath $Path -ErrorAction Stop).ProviderPath
        $text = [System.IO.File]::ReadAllText($resolved)
    } else {
        $resolved = '<script>'
        $text = $ScriptDefinition
    }
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, $resolved, [ref]$tokens, [ref]$errors)
    $rewritten = $false
    $keywords = @($tokens | Where-Object { [string]$_.Kind -eq 'Configuration' })
    if ($errors.Count -gt 0 -and $keywords.Count -gt 0) {
        $builder = New-Object -TypeName System.Text.StringBuilder -ArgumentList $text
        foreach ($keyword in $keywords) {
            $offset = $keyword.Extent.StartOffset
            $null = $builder.Remove($offset, $keyword.Text.Length)
            $null = $builder.Insert($offset, 'function'.PadRight($keyword.Text.Length))
        }
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($builder.ToString(), $resolved, [ref]$tokens, [ref]$errors)
        $rewritten = $true
    }
    New-Object -TypeName psobject -Property ([ordered]@{
            Path                    = $resolved
            Ast                     = $ast
            Tokens                  = $tokens
            Errors                  = $errors
            ConfigurationAsFunction = $rewritten
        })
}

function Find-UnsupportedSyntax {
    <#
    .SYNOPSIS
        Finds PowerShell 6/7-only constructs that Windows PowerShell 5.1 cannot parse or runs differently.
    .DESCRIPTION
        Parses each file with the PowerShell 7 parser and walks its AST and tokens. Returns one finding
        {Path, Line, Column, Construct, Text} per construct; nothing for code that is valid 5.1.
    .PARAMETER Path
        Script, module or data files to check.
    .PARAMETER ScriptDefinition
        A script text to check instead of files (reported with Path '<script>').
    .EXAMPLE
        Get-ChildItem generated -Recurse -Include *.ps1, *.psm1 | Find-UnsupportedSyntax
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('FullName')]
        [string[]] $Path,

        [Parameter(ParameterSetName = 'ScriptDefinition', Mandatory = $true)]
        [string] $ScriptDefinition
    )
    begin {
        if ($PSVersionTable.PSVersion.Major -lt 7) {
            throw 'Find-UnsupportedSyntax needs the PowerShell 7 parser to see PowerShell 7 constructs.'
        }
    }
    process {
        $parsed = @()
        if ($PSCmdlet.ParameterSetName -eq 'ScriptDefinition') {
            $parsed = @(Get-ScriptSyntax -ScriptDefinition $ScriptDefinition)
        } else {
            foreach ($item in $Path) { $parsed += Get-ScriptSyntax -Path $item }
        }
        foreach ($entry in $parsed) {
            $findings = @(
                foreach ($parseError in $entry.Errors) {
                    New-CompatibilityFinding -Path $entry.Path -Extent $parseError.Extent -Construct 'ParseError' -Text $parseError.Message
                }
                Find-InAst -Path $entry.Path -Ast $entry.Ast -Tokens $entry.Tokens
            )
            $findings | Sort-Object -Property Line, Column
        }
    }
}

Export-ModuleMember -Function Find-UnsupportedSyntax, Get-ScriptSyntax

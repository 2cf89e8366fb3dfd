<#
    Checks a cmdlet unit (templates/cmdlets/<Verb-Noun>.ps1: `function Verb-Noun { body }`) against its model
    contract (generated/contracts/cmdlets.json, written by the generator from src/model/cmdlets). Parsed with
    PowerShell's own parser; nothing is run.

    A unit holds:
    - exactly one function, named like its file, with no param block or attributes (the model owns them);
    - no variable read that is neither assigned in the body, nor a declared parameter, nor automatic/preference,
      nor scope-qualified ($script:, $env:, ...);
    - no declared parameter left unused: read as $Name, or through $PSBoundParameters['Name'] or
      $PSBoundParameters.ContainsKey('Name'), or forwarded whole ($PSBoundParameters splatted or copied);
    - $progressId read exactly when the model gives the cmdlet a progress id (the generator assigns it);
    - terminating errors only through Stop-VmmCommand with constant -ErrorId and -Category, and exactly the
      error ids and categories the model lists (a private helper handed -Cmdlet $PSCmdlet stops the cmdlet too:
      its Stop-VmmCommand -Cmdlet $Cmdlet calls count as the cmdlet's).
#>

$script:RepoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent

# Variables PowerShell sets or reads itself (automatic and preference variables).
$script:Automatic = [System.Collections.Generic.HashSet[string]]::new([string[]]@(
        '_', 'PSItem', 'args', 'input', 'this', 'true', 'false', 'null', 'PSCmdlet', 'PSBoundParameters', 'MyInvocation',
        'ExecutionContext', 'Host', 'Error', 'LASTEXITCODE', 'Matches', 'PSScriptRoot', 'PSCommandPath', 'PSVersionTable',
        'PID', 'HOME', 'PWD', 'IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'foreach', 'switch', 'sender', 'EventArgs',
        'Event', 'EventSubscriber', 'StackTrace', 'PSHOME', 'PSEdition', 'PSCulture', 'PSUICulture', 'ShellId',
        'NestedPromptLevel', 'PSSenderInfo', 'PSDebugContext', 'PROFILE', 'ConsoleFileName', 'PSStyle', 'OFS',
        'PSDefaultParameterValues', 'PSModuleAutoLoadingPreference', 'PSNativeCommandArgumentPassing',
        'PSNativeCommandUseErrorActionPreference', 'PSSessionOption', 'PSSessionApplicationName',
        'PSSessionConfigurationName', 'PSEmailServer', 'FormatEnumerationLimit', 'MaximumHistoryCount', 'ErrorView',
        'ErrorActionPreference', 'WarningPreference', 'VerbosePreference', 'DebugPreference', 'InformationPreference',
        'ProgressPreference', 'ConfirmPreference', 'WhatIfPreference'
    ), [System.StringComparer]::OrdinalIgnoreCase)

# Common parameters every advanced function has.
$script:Common = [System.Collections.Generic.HashSet[string]]::new([string[]]@(
        'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable',
        'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'WhatIf', 'Confirm'
    ), [System.StringComparer]::OrdinalIgnoreCase)

function Get-VmmUnitAst {
    param([Parameter(Mandatory = $true)] [string] $Path)
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
    [pscustomobject]@{ Ast = $ast; Errors = @($errors) }
}

function Get-VmmAssignedName {
    # The variable names an assignment target sets: $x, [type]$x, $a, $b = ...
    param($Target)
    if ($Target -is [System.Management.Automation.Language.VariableExpressionAst]) { return $Target.VariablePath.UserPath }
    if ($Target -is [System.Management.Automation.Language.ConvertExpressionAst]) { return Get-VmmAssignedName -Target $Target.Child }
    if ($Target -is [System.Management.Automation.Language.ArrayLiteralAst]) { return @($Target.Elements | ForEach-Object { Get-VmmAssignedName -Target $_ }) }
    if ($Target -is [System.Management.Automation.Language.ParenExpressionAst]) { return Get-VmmAssignedName -Target $Target.Pipeline.PipelineElements[0].Expression }
}

function Get-VmmCallArgument {
    # The named arguments of a command call: parameter name -> argument AST (the next element for a switch-like form).
    param([Parameter(Mandatory = $true)] $Call)
    $values = @{}
    $elements = $Call.CommandElements
    for ($i = 1; $i -lt $elements.Count; $i++) {
        $element = $elements[$i]
        if ($element -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
        $argument = $element.Argument
        if ($null -eq $argument -and $i + 1 -lt $elements.Count) { $argument = $elements[$i + 1] }
        $values[$element.ParameterName] = $argument
    }
    $values
}

function Get-VmmStopCall {
    <#
        The Stop-VmmCommand calls of a body: each with its -ErrorId and -Category (or a problem when not constant).
        A private helper called with -Cmdlet $PSCmdlet stops the caller's cmdlet: its Stop-VmmCommand calls
        through -Cmdlet $Cmdlet count as the caller's (followed into the helpers it hands the cmdlet on to).
    #>
    param([Parameter(Mandatory = $true)] $Body, [string] $CmdletVariable = 'PSCmdlet', [string] $Where = '', [hashtable] $Followed = @{})
    $calls = $Body.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() }, $true)
    foreach ($call in $calls) {
        $name = $call.GetCommandName()
        $values = Get-VmmCallArgument -Call $call
        $handsOn = $values['Cmdlet'] -is [System.Management.Automation.Language.VariableExpressionAst] -and $values['Cmdlet'].VariablePath.UserPath -eq $CmdletVariable
        if ($name -ne 'Stop-VmmCommand') {
            if (-not $handsOn -or $Followed.ContainsKey($name)) { continue }
            $Followed[$name] = $true
            $helper = @(Get-ChildItem -LiteralPath (Join-Path $script:RepoRoot 'templates/private') -Recurse -File -Filter "$name.ps1")
            if ($helper.Count -ne 1) { continue }
            $parsed = Get-VmmUnitAst -Path $helper[0].FullName
            Get-VmmStopCall -Body $parsed.Ast -CmdletVariable 'Cmdlet' -Where " ($name)" -Followed $Followed
            continue
        }
        if ($CmdletVariable -ne 'PSCmdlet' -and -not $handsOn) { continue }
        $line = "$($call.Extent.StartLineNumber)$Where"
        $result = [ordered]@{ Line = $line; Id = $null; Category = $null; NonTerminating = $values.ContainsKey('NonTerminating'); Problem = $null }
        foreach ($parameter in 'ErrorId', 'Category') {
            $argument = $values[$parameter]
            if ($argument -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
                $result[$parameter -replace 'ErrorId', 'Id'] = $argument.Value
            } else {
                $result.Problem = "line ${line}: Stop-VmmCommand needs a constant -$parameter (the model lists the error ids and categories)"
            }
        }
        [pscustomobject]$result
    }
}

function Test-VmmCmdletUnit {
    <#
    .SYNOPSIS
        Returns the problems of one cmdlet unit against its contract (name, parameters, progressId, errors);
        nothing when it holds.
    #>
    param(
        [Parameter(Mandatory = $true)] [string] $Path,
        [Parameter(Mandatory = $true)] $Contract
    )
    $name = [System.IO.Path]::GetFileNameWithoutExtension($Path)
    $parsed = Get-VmmUnitAst -Path $Path
    if ($parsed.Errors.Count -gt 0) { return @(foreach ($e in $parsed.Errors) { "does not parse: line $($e.Extent.StartLineNumber): $($e.Message)" }) }
    $ast = $parsed.Ast
    $problems = New-Object System.Collections.Generic.List[string]

    # The shape: one function named like the file, nothing else, no param block or attributes of its own.
    $statements = @($ast.EndBlock.Statements)
    if ($null -ne $ast.ParamBlock -or $statements.Count -ne 1 -or $statements[0] -isnot [System.Management.Automation.Language.FunctionDefinitionAst]) {
        $problems.Add("must hold exactly one function, $name, and nothing else")
        return $problems
    }
    $function = $statements[0]
    if ($function.Name -ne $name) { $problems.Add("defines function $($function.Name); the file names $name") }
    if ($null -ne $function.Parameters -or $null -ne $function.Body.ParamBlock) { $problems.Add('declares its own parameters; the model owns the param block') }
    $nested = @($function.Body.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true))
    if ($nested.Count -gt 0) { $problems.Add("defines function $($nested[0].Name) inside; a unit is one function (shared code goes to templates/private)") }
    $body = $function.Body

    $declared = [System.Collections.Generic.HashSet[string]]::new([string[]]@($Contract.parameters), [System.StringComparer]::OrdinalIgnoreCase)
    $modelVariables = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    if ($null -ne $Contract.progressId) { $null = $modelVariables.Add('progressId') }

    # What the body assigns: assignments, foreach variables, parameters of its script blocks, -*Variable values.
    $assigned = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    $assignmentTargets = New-Object System.Collections.Generic.HashSet[object]
    foreach ($node in $body.FindAll({ param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] }, $true)) {
        foreach ($assignedName in @(Get-VmmAssignedName -Target $node.Left)) { if ($assignedName) { $null = $assigned.Add($assignedName) } }
        foreach ($v in $node.Left.FindAll({ param($n) $n -is [System.Management.Automation.Language.VariableExpressionAst] }, $true)) {
            if ($v.Parent -eq $node -or $v.Parent -is [System.Management.Automation.Language.ConvertExpressionAst] -or $v.Parent -is [System.Management.Automation.Language.ArrayLiteralAst]) { $null = $assignmentTargets.Add($v) }
        }
    }
    foreach ($node in $body.FindAll({ param($n) $n -is [System.Management.Automation.Language.ForEachStatementAst] }, $true)) { $null = $assigned.Add($node.Variable.VariablePath.UserPath); $null = $assignmentTargets.Add($node.Variable) }
    foreach ($node in $body.FindAll({ param($n) $n -is [System.Management.Automation.Language.ParameterAst] }, $true)) { $null = $assigned.Add($node.Name.VariablePath.UserPath); $null = $assignmentTargets.Add($node.Name) }
    foreach ($node in $body.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandParameterAst] -and $n.ParameterName -match '^(Out|Error|Warning|Information|Pipeline)Variable$' }, $true)) {
        $value = $node.Argument
        if ($null -eq $value) {
            $index = $node.Parent.CommandElements.IndexOf($node)
            if ($index + 1 -lt $node.Parent.CommandElements.Count) { $value = $node.Parent.CommandElements[$index + 1] }
        }
        if ($value -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $null = $assigned.Add($value.Value.TrimStart('+')) }
    }
    foreach ($node in $body.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -in 'Set-Variable', 'New-Variable' }, $true)) {
        foreach ($element in @($node.CommandElements | Select-Object -Skip 1)) {
            if ($element -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $null = $assigned.Add($element.Value); break }
        }
    }
    foreach ($forbidden in $modelVariables) {
        if ($assigned.Contains($forbidden)) { $problems.Add("assigns `$$forbidden, which the generator sets from the model") }
    }

    # What the body reads.
    $used = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    $undeclared = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    $forwardsAll = $false
    foreach ($v in $body.FindAll({ param($n) $n -is [System.Management.Automation.Language.VariableExpressionAst] }, $true)) {
        $variablePath = $v.VariablePath
        if ($variablePath.IsDriveQualified -or $variablePath.IsScript -or $variablePath.IsGlobal -or $variablePath.IsPrivate) { continue }
        $variable = $variablePath.UserPath -replace '^(local|using):', ''
        if ($variable -eq 'PSBoundParameters') {
            $parent = $v.Parent
            $member = $null
            if ($parent -is [System.Management.Automation.Language.IndexExpressionAst] -and $parent.Target -eq $v) { $member = $parent.Index }
            elseif ($parent -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $parent.Expression -eq $v -and $parent.Member.Value -in 'ContainsKey', 'Remove', 'TryGetValue') { $member = @($parent.Arguments)[0] }
            if ($member -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $null = $used.Add($member.Value) } else { $forwardsAll = $true }
            continue
        }
        if ($assignmentTargets.Contains($v)) { continue }
        $null = $used.Add($variable)
        if ($assigned.Contains($variable) -or $declared.Contains($variable) -or $modelVariables.Contains($variable) -or $script:Automatic.Contains($variable) -or $script:Common.Contains($variable)) { continue }
        $null = $undeclared.Add($variable)
    }
    foreach ($variable in $undeclared) { $problems.Add("reads `$$variable, which is neither assigned in the body nor a parameter the model declares") }
    if (-not $forwardsAll) {
        foreach ($parameter in @($Contract.parameters)) {
            if (-not $used.Contains($parameter)) { $problems.Add("leaves the parameter -$parameter (declared by the model) unused") }
        }
    }
    foreach ($variable in $modelVariables) {
        if (-not $used.Contains($variable)) { $problems.Add("never reads `$$variable, though the model gives the cmdlet one") }
    }

    # Errors: terminating only through Stop-VmmCommand, with exactly the ids and categories the model lists.
    foreach ($call in $body.FindAll({ param($n) $n -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $n.Member.Value -eq 'ThrowTerminatingError' }, $true)) {
        $problems.Add("line $($call.Extent.StartLineNumber): calls ThrowTerminatingError; stop with Stop-VmmCommand")
    }
    # An id may be listed with several categories (the same mistake met in different ways); each pair counts.
    $listed = @{}
    foreach ($e in @($Contract.errors)) { if ($null -ne $e) { $listed["$($e.id) ($($e.category))$(if ($e.nonTerminating) { ' written' })"] = [string]$e.id } }
    $listedIds = @($listed.Values)
    $thrown = @{}
    foreach ($call in @(Get-VmmStopCall -Body $body)) {
        if ($call.Problem) { $problems.Add($call.Problem); continue }
        $key = "$($call.Id) ($($call.Category))$(if ($call.NonTerminating) { ' written' })"
        $thrown[$key] = $true
        if ($listedIds -notcontains $call.Id) {
            $problems.Add("line $($call.Line): throws the error id $($call.Id), which the model does not list")
        } elseif (-not $listed.ContainsKey($key)) {
            $problems.Add("line $($call.Line): throws $key; the model does not list it so (category, or written rather than thrown)")
        }
    }
    foreach ($key in $listed.Keys) {
        if (-not $thrown.ContainsKey($key)) { $problems.Add("never throws the error $key, which the model lists") }
    }
    $problems
}

function Get-VmmCmdletUnitError {
    <#
    .SYNOPSIS
        The error ids and categories a cmdlet unit throws through Stop-VmmCommand (for its model's `errors`).
    #>
    param([Parameter(Mandatory = $true)] [string] $Path)
    $parsed = Get-VmmUnitAst -Path $Path
    $seen = @{}
    foreach ($call in @(Get-VmmStopCall -Body $parsed.Ast)) {
        $key = "$($call.Id) ($($call.Category)) $($call.NonTerminating)"
        if ($call.Id -and -not $seen.ContainsKey($key)) {
            $seen[$key] = $true
            [pscustomobject]@{ Id = $call.Id; Category = $call.Category; NonTerminating = $call.NonTerminating }
        }
    }
}

Export-ModuleMember -Function Test-VmmCmdletUnit, Get-VmmCmdletUnitError
